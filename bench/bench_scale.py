"""Every report figure of one township-year at province scale (issue #13's proof), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_scale \\
        .venv/bin/python bench/bench_scale.py [--townships 2000] [--rows 1000000 10000000] \\
        [--repeat 15] [--check 50] [--reuse]

Builds a throwaway database (DATABASE_URL's, schema dropped and recreated): one county of
--townships townships (one village each, four mediator trainings each, one petitioner each), then
grows the dispute and petition tables to each size of --rows in turn, spread evenly over the
townships and over 2024–2025, with set-based SQL (one INSERT … SELECT over generate_series per
million rows; the ORM would take hours at 10M). At each size:

1. ANALYZE, then the registry's figures (`Figures.compute`, the 92 metrics `bench/_report_sql.py`
   writes by hand) are compared with the hand-written statement, figure by figure (value,
   numerator, denominator, recorded or not), for --check townships (the measured one included).
2. EXPLAIN of the registry's statements and of the hand-written one for the measured township:
   any sequential scan of the grown tables is printed (a figure query must reach one township's
   rows through an index).
3. `bench_report.every_figure`: registry vs the hand-written statement, alternated, p50/p99,
   the paired wall ratio and this process's CPU ratio, the queries per call.

--reuse keeps the database a previous run left and grows its tables further (a later, larger size
measured by a second process). Finally the registry's p50 growth from the smallest to the largest size. No test asserts any of
this; docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, vendor  # noqa: E402

CHUNK = 1_000_000
DAY = "(DATE '2024-01-01' + (n % 730)::int)"


def _columns(model: Any, special: dict[str, str]) -> tuple[list[str], list[str]]:
    """Every concrete column but the id, with its expression over `n` (defaults for the rest)."""
    columns, values = [], []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f'"{f.column}"')
        if f.column in special:
            values.append(special[f.column])
        elif f.null:
            values.append("NULL")
        elif f.get_internal_type() == "BooleanField":
            values.append("FALSE")
        elif f.get_internal_type() in (
            "IntegerField",
            "PositiveIntegerField",
            "PositiveSmallIntegerField",
            "DecimalField",
        ):
            values.append("0")
        else:
            values.append("''")
    return columns, values


@contextmanager
def loading(table: str) -> Iterator[None]:
    """Bulk-load `table` in minutes rather than an hour on a shared machine: its plain indexes
    (not those behind a primary key or unique constraint) are dropped first and rebuilt
    afterwards from their own definitions, and the foreign-key triggers are off while it loads
    (`session_replication_role = replica`: the caller builds every reference from ids that
    exist). The table ends with the same rows, indexes and constraints either way."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN"
            " (SELECT conname FROM pg_constraint WHERE conindid <> 0)",
            [table],
        )
        plain = cursor.fetchall()
        for name, _ in plain:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _, definition in plain:
                cursor.execute(definition)


def fill(model: Any, special: dict[str, str], start: int, stop: int) -> None:
    """INSERT … SELECT rows n = start+1 … stop of `model`, a million per statement (`loading`)."""
    from django.db import connection

    if start >= stop:
        return
    columns, values = _columns(model, special)
    with loading(model._meta.db_table), connection.cursor() as cursor:
        for lo in range(start, stop, CHUNK):
            hi = min(stop, lo + CHUNK)
            cursor.execute(
                f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM generate_series({lo + 1}, {hi}) AS s(n)"
            )


def dispute_columns(first_township: int, count: int, first_village: int) -> dict[str, str]:
    t = f"((n / 7) % {count})"
    return {
        "created_at": "CURRENT_TIMESTAMP",
        "updated_at": "CURRENT_TIMESTAMP",
        "version": "1",
        "township_id": f"{first_township} + {t}",
        "village_id": f"{first_village} + {t}",
        "number": "'S' || n",
        "received_on": DAY,
        "source": "'screening'",
        "kind": "CASE WHEN n % 3 = 0 THEN 'marriage_family' ELSE 'neighbour' END",
        "title": "'纠纷' || n",
        "description": "'宅基地界址争执'",
        "status": "CASE n % 5 WHEN 0 THEN 'succeeded' WHEN 1 THEN 'mediating' "
        "WHEN 2 THEN 'failed' WHEN 3 THEN 'succeeded' ELSE 'registered' END",
        "risk_level": "'low'",
        "people_count": "2 + n % 4",
        "accepted_on": f"CASE WHEN n % 5 < 4 THEN {DAY} ELSE NULL END",
        # some conclude after the year ends: the rate's numerator must exclude them
        "concluded_on": f"CASE WHEN n % 5 IN (0, 2, 3) THEN {DAY} + (n % 40)::int ELSE NULL END",
    }


def petition_columns(first_township: int, count: int, first_party: int) -> dict[str, str]:
    t = f"((n / 7) % {count})"
    statuses = ["closed", "accepted", "escalated", "served", "not_accepted", "closed", "registered"]
    status = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(statuses))
    accepted = "n % 7 NOT IN (4, 6)"
    return {
        "created_at": "CURRENT_TIMESTAMP",
        "updated_at": "CURRENT_TIMESTAMP",
        "version": "1",
        "township_id": f"{first_township} + {t}",
        "petitioner_id": f"{first_party} + {t}",
        "receipt_no": "'X' || n",
        "receipt_seq": "n",
        "year": f"EXTRACT(YEAR FROM {DAY})::int",
        "channel": "'visit'",
        "source": "'direct'",
        "received_on": DAY,
        "visitor_count": "1",
        "category": "'other'",
        "subject": "'信访' || n",
        "content": "'反映问题'",
        "level": "'township'",
        "status": f"CASE n % 7 {status} END",
        "accepted_on": f"CASE WHEN {accepted} THEN {DAY} + 3 ELSE NULL END",
        "handling_due_on": f"CASE WHEN {accepted} THEN {DAY} + 63 ELSE NULL END",
        "concluded_on": f"CASE WHEN n % 7 IN (0, 3, 5) THEN {DAY} + (n % 90)::int ELSE NULL END",
        "rated_on": f"CASE WHEN n % 7 IN (0, 5) THEN {DAY} + 95 ELSE NULL END",
        "satisfaction": "CASE WHEN n % 7 = 0 THEN 'satisfied' WHEN n % 7 = 5 THEN "
        "(CASE WHEN n % 2 = 0 THEN 'basically' ELSE 'unsatisfied' END) ELSE '' END",
    }


def seq_scans(sql: str, params: Any, tables: list[str]) -> list[str]:
    """The EXPLAIN lines of `sql` that scan one of `tables` sequentially."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = [r[0] for r in cursor.fetchall()]
    return [
        line.strip()
        for line in plan
        if re.search(r"Seq Scan on (" + "|".join(tables) + r")\b", line)
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=2000)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--check", type=int, default=50, help="townships compared figure by figure")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database a previous run left and grow its tables from where they are",
    )
    args = parser.parse_args()
    django_setup("scale", fresh=not args.reuse)
    if vendor() != "postgresql":
        raise SystemExit("bench_scale.py measures PostgreSQL: set DATABASE_URL")

    import datetime as dt

    import _report_sql as hand
    from bench_report import every_figure, hand_figures, same_figures
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.core.models import County, Township, Village
    from fazhi.disputes.models import Dispute, MediatorTraining
    from fazhi.parties.models import Party
    from fazhi.petitions.models import Petition
    from fazhi.reports.generate import Figures

    if args.reuse:
        county = County.objects.get(name="省级基准县")
        townships = list(Township.objects.filter(county=county).order_by("pk"))
        villages = list(Village.objects.filter(township__in=townships).order_by("pk"))
        parties = list(Party.objects.filter(township__in=townships).order_by("pk"))
    else:
        county = County.objects.create(name="省级基准县", province="基准省", city="基准市")
        townships = Township.objects.bulk_create(
            [Township(county=county, name=f"省基准{i:04d}镇") for i in range(args.townships)]
        )
        villages = Village.objects.bulk_create(
            [Village(township=t, name=f"{t.name}一村") for t in townships]
        )
        parties = Party.objects.bulk_create(
            [Party(township=t, name=f"信访人{i}") for i, t in enumerate(townships)]
        )
        for objs in (townships, villages, parties):  # the fills address them by offset
            assert [o.pk for o in objs] == list(range(objs[0].pk, objs[0].pk + len(objs)))
        MediatorTraining.objects.bulk_create(
            [
                MediatorTraining(township=t, held_on=dt.date(2025, 1 + k, 10), topic="培训")
                for t in townships
                for k in range(4)
            ]
        )
    first, count = townships[0].pk, len(townships)
    grown_tables = [Dispute._meta.db_table, Petition._meta.db_table]
    one = townships[len(townships) // 2]
    n = min(args.check, len(townships))
    picks = {townships[i * (len(townships) - 1) // max(1, n - 1)] for i in range(n)}
    checked = sorted(picks | {one}, key=lambda t: t.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [grown_tables],
        )
        indexes = cursor.fetchall()
    print(
        f"# bench_scale on {vendor()}, {count:,} townships; tables grown: "
        f"{', '.join(grown_tables)}",
        flush=True,
    )

    have, medians = Dispute.objects.count(), []
    assert Petition.objects.count() == have
    print(f"indexes: {', '.join(name for _, name in indexes)}", flush=True)
    for size in args.rows:
        t0 = time.perf_counter()
        fill(Dispute, dispute_columns(first, count, villages[0].pk), have, size)
        t1 = time.perf_counter()
        fill(Petition, petition_columns(first, count, parties[0].pk), have, size)
        t2 = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {grown_tables[0]}; ANALYZE {grown_tables[1]}")
        have = size
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s)"
                " ORDER BY 1, 2",
                [grown_tables],
            )
            assert cursor.fetchall() == indexes  # the same indexes as the migrations made
        print(
            f"## {Dispute.objects.count():,} disputes (+{t1 - t0:.0f} s), "
            f"{Petition.objects.count():,} petitions (+{t2 - t1:.0f} s), "
            f"{Dispute.objects.filter(township=one).count():,} + "
            f"{Petition.objects.filter(township=one).count():,} in the measured township",
            flush=True,
        )
        t0 = time.perf_counter()
        compared = same_figures(checked, 2025)
        print(
            f"hand-written SQL = registry: {compared:,} figures compared over {len(checked)} "
            f"townships in {time.perf_counter() - t0:.0f} s",
            flush=True,
        )
        mine = hand_figures(one.pk, 2025)
        recorded = sum(1 for v in mine.values() if v[3])
        print(
            f"measured township: {recorded} of {len(mine)} figures recorded; e.g. "
            f"disputes.screened {mine['disputes.screened'][0]}, "
            f"petitions.accepted {mine.get('petitions.accepted', ('-',))[0]}",
            flush=True,
        )

        with CaptureQueriesContext(connection) as captured:
            Figures.compute(one, 2025, list(hand.METRICS))
        scans = []
        for q in captured.captured_queries:
            scans += seq_scans(q["sql"], None, grown_tables)
        sql, _ = hand.statement("postgresql")
        hand_scans = seq_scans(sql, hand.params(one.pk, 2025), grown_tables)
        print(
            f"EXPLAIN: registry's {len(captured.captured_queries)} statements: "
            f"{scans or 'no sequential scan of the grown tables'}; hand-written: "
            f"{hand_scans or 'no sequential scan of the grown tables'}",
            flush=True,
        )

        line = every_figure(one, args.repeat, f"{size:,} rows each")
        medians.append(float(line.split(" p50 ")[1].split()[0]))
        print(line, flush=True)
    if len(medians) > 1:
        print(
            f"registry p50 growth {args.rows[0]:,} → {args.rows[-1]:,} rows: "
            f"{medians[-1] / medians[0]:.2f}×",
            flush=True,
        )


if __name__ == "__main__":
    main()
