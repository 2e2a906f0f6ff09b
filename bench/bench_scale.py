"""Every report figure of one township-year at province scale (issue #13's proof), on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_scale \\
        .venv/bin/python bench/bench_scale.py [--townships 2000] [--rows 1000000 10000000] \\
        [--history 1000000 2000000] [--repeat 15] [--check 50] | --busy 50000

Builds a throwaway database (DATABASE_URL's, schema dropped and recreated): one county of
--townships townships. Then, at each size of --rows (the rows of all the tables together), grows
**every table a report figure reads** — the tables of `bench/_report_sql.py`, their joins and
sub-queries, and the tables their rows must point at (53 tables) — with `_grow.Grower`: one
`INSERT … SELECT … FROM generate_series` per table, the values built from the model's fields
(the township of row n, foreign keys to rows of the same township, choices, dates over
2021–2025, see bench/_grow.py), the migrations' indexes in place, ANALYZE after. A ledger table
gets ten shares of the rows, a directory table (villages, officers, advisors, …) one. With
--history, the change records and the domain events are grown to that many rows each as well
(the county board's cache key reads them). At each size:

1. The registry's figures (`Figures.compute`, the 92 metrics `bench/_report_sql.py` writes by
   hand) are compared with the hand-written statement, figure by figure (value, numerator,
   denominator, recorded or not), for --check townships (the measured one included); the
   measured township's figures are printed, and any rate at 0% or 100% named.
2. EXPLAIN of the registry's statements and of the hand-written one for the measured township:
   any sequential scan of a grown table is printed.
3. `bench_report.every_figure`: registry vs the hand-written statement, alternated, p50/p99,
   the paired wall ratio and this process's CPU ratio, the queries per call.
4. With --history: the board's key of 20 townships (`core.audit.records_versions`, the history
   mark) vs the two grouped COUNTs it replaced, alternated.

Finally the registry's p50 growth from the smallest to the largest size. `--busy N` (alone)
works on the database a run left: N more change records and N more domain events for each of
the first 20 townships, then step 4 again. No test asserts any of this; docs/performance.md
records the figures.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_setup, vendor  # noqa: E402

#: tables whose rows are a directory rather than a ledger (villages, grids, officers, …): a
#: tenth of a ledger table's rows each
DIRECTORY = {
    "core_village",
    "core_villagecontact",
    "core_grid",
    "core_gridassignment",
    "core_leadinggroup",
    "core_leadinggroupmember",
    "enforcement_officer",
    "enforcement_certificate",
    "enforcement_power",
    "inspections_enterprise",
    "legal_advisor",
    "legal_advisor_villages",
    "outreach_culturesite",
    "outreach_legalunderstander",
    "parties_party",
}


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


def report_models() -> list[Any]:
    """Every model whose table a report figure reads (`bench/_report_sql.py`'s tables, their
    joins and sub-queries), with the models their rows must point at (required foreign keys to
    township-scoped tables), in foreign-key order; not the townships themselves."""
    import _grow
    import _report_sql as hand
    from django.apps import apps

    by_table = {m._meta.db_table: m for m in apps.get_models(include_auto_created=True)}
    text = " ".join(src + " " + " ".join(a for _, a in aggs) for src, aggs in hand.TABLES.values())
    found = {
        by_table[t] for t in re.findall(r"\b([a-z]+_[a-z_]+)\s+[a-z_0-9]+\b", text) if t in by_table
    }
    todo = list(found)
    while todo:
        m = todo.pop()
        for f in m._meta.concrete_fields:
            r = f.related_model
            if (
                f.is_relation
                and not f.null
                and r not in found
                and any(g.name == "township" for g in r._meta.concrete_fields)
            ):
                found.add(r)
                todo.append(r)
    found.discard(by_table["core_township"])
    return _grow.order(sorted(found, key=lambda m: m._meta.db_table))


def plan(models: list[Any], total: int, townships: int) -> dict[Any, int]:
    """Rows of each table for `total` rows over all of them: a ledger table ten shares, a
    directory table one, each a multiple of the townships (at least one row each)."""
    weight = {m: 1 if m._meta.db_table in DIRECTORY else 10 for m in models}
    unit = total / sum(weight.values())
    return {m: max(1, round(unit * w / townships)) * townships for m, w in weight.items()}


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


def history_keys(ids: list[int]) -> tuple[Any, Any]:
    """The board's key of each township: the old one (two COUNTs over the township's change
    records and domain events) and the current `records_versions` (its history mark)."""
    from django.db import connection

    from fazhi.core.audit import records_versions

    def counts() -> dict[int, tuple[int, int]]:
        out = {}
        with connection.cursor() as cursor:
            for n, table in enumerate(("core_changerecord", "core_domainevent")):
                cursor.execute(
                    f"SELECT township_id, COUNT(*) FROM {table} WHERE township_id = ANY(%s)"
                    " GROUP BY township_id",
                    [ids],
                )
                for tid, rows in cursor.fetchall():
                    out.setdefault(tid, [0, 0])[n] = rows
        return out

    return counts, lambda: records_versions(ids)


def busy(rows: int, repeat: int) -> None:
    """The board's key of 20 townships whose history is long: `rows` more change records and
    domain events each (one INSERT … SELECT a table), then the mark vs the two COUNTs."""
    django_setup("scale", fresh=False)
    import _grow
    from _setup import paired, row
    from django.db import connection

    from fazhi.core.models import ChangeRecord, County, DomainEvent, Township

    county = County.objects.get(name="省级基准县")
    ids = list(Township.objects.filter(county=county).order_by("pk").values_list("pk", flat=True))[
        :20
    ]
    assert ids == list(range(ids[0], ids[0] + 20))
    grower = _grow.Grower(ids[0], 20)
    t0 = time.perf_counter()
    for model in (ChangeRecord, DomainEvent):
        grower.fill(model, rows * 20)
    loaded = time.perf_counter() - t0
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_changerecord; ANALYZE core_domainevent")
        cursor.execute("SELECT COUNT(*) FROM core_changerecord WHERE township_id = %s", [ids[0]])
        per = cursor.fetchone()[0]
        cursor.execute("SELECT COUNT(*) FROM core_changerecord")
        total = cursor.fetchone()[0]
    old, new = history_keys(ids)
    p, b, ratio = paired(new, old, repeat)
    print(
        row(
            f"board key, 20 townships, {total:,} change records ({per:,} a township; +{rows:,} "
            f"each table loaded in {loaded:.0f} s): mark vs two COUNTs",
            p,
            b,
            ratio,
        )
        + f" load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=2000)
    parser.add_argument(
        "--rows",
        type=int,
        nargs="+",
        default=[1_000_000, 10_000_000],
        help="rows of all the module tables the report reads, together, at each size",
    )
    parser.add_argument(
        "--history",
        type=int,
        nargs="*",
        default=[],
        help="rows of change records and of domain events at each size (one per --rows size)",
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--check", type=int, default=50, help="townships compared figure by figure")
    parser.add_argument(
        "--busy",
        type=int,
        default=0,
        help="only this: on the database a run left, add this many change records and as many "
        "domain events to each of the first 20 townships, and time the board's key again",
    )
    args = parser.parse_args()
    if args.busy:
        busy(args.busy, args.repeat)
        return
    django_setup("scale")
    if vendor() != "postgresql":
        raise SystemExit("bench_scale.py measures PostgreSQL: set DATABASE_URL")

    import _grow
    import _report_sql as hand
    from _setup import paired, row
    from bench_report import every_figure, hand_figures, same_figures
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from fazhi.core.models import ChangeRecord, County, DomainEvent, Township
    from fazhi.reports.generate import Figures

    county = County.objects.create(name="省级基准县", province="基准省", city="基准市")
    townships = Township.objects.bulk_create(
        [Township(county=county, name=f"省基准{i:04d}镇") for i in range(args.townships)]
    )
    assert [t.pk for t in townships] == list(
        range(townships[0].pk, townships[0].pk + len(townships))
    )
    first, count = townships[0].pk, len(townships)
    grower = _grow.Grower(first, count)
    models = report_models()
    tables = [m._meta.db_table for m in models]
    one = townships[len(townships) // 2]
    n = min(args.check, len(townships))
    picks = {townships[i * (len(townships) - 1) // max(1, n - 1)] for i in range(n)}
    checked = sorted(picks | {one}, key=lambda t: t.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s) ORDER BY 1, 2",
            [tables],
        )
        indexes = cursor.fetchall()
    print(
        f"# bench_scale on {vendor()}, {count:,} townships, {len(tables)} tables grown: "
        f"{', '.join(tables)}; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    have = dict.fromkeys(models, 0)
    medians, history_have = [], 0
    for step, size in enumerate(args.rows):
        target = plan(models, size, count)
        t0 = time.perf_counter()
        took = {}
        for m in models:
            took[m] = grower.fill(m, target[m] - have[m]) if target[m] > have[m] else 0.0
            have[m] = target[m]
        loaded = time.perf_counter() - t0
        hist = args.history[step] if step < len(args.history) else 0
        t1 = time.perf_counter()
        if hist > history_have:
            for model in (ChangeRecord, DomainEvent):
                grower.fill(model, (hist - history_have) // count * count)
            history_have = hist
        hist_loaded = time.perf_counter() - t1
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute(
                "SELECT tablename, indexname FROM pg_indexes WHERE tablename = ANY(%s)"
                " ORDER BY 1, 2",
                [tables],
            )
            assert cursor.fetchall() == indexes  # the same indexes as the migrations made
        print(
            f"## {sum(have.values()):,} rows in {len(models)} tables, loaded in {loaded:.0f} s "
            f"(load average {os.getloadavg()[0]:.1f}); rows per table: "
            + ", ".join(f"{m._meta.db_table} {have[m]:,} ({took[m]:.0f} s)" for m in models),
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
            f"measured township: {recorded} of {len(mine)} figures recorded: "
            + "; ".join(
                f"{code} {v[0]}" + (f" ({v[1]}/{v[2]})" if v[2] is not None else "")
                for code, v in mine.items()
            ),
            flush=True,
        )
        flat = [c for c, v in mine.items() if v[2] and v[1] in (0, v[2])]
        print(f"rates at 0% or 100% in the measured township: {flat or 'none'}", flush=True)

        with CaptureQueriesContext(connection) as captured:
            Figures.compute(one, 2025, list(hand.METRICS))
        scans = []
        for q in captured.captured_queries:
            scans += seq_scans(q["sql"], None, tables)
        sql, _ = hand.statement("postgresql")
        hand_scans = seq_scans(sql, hand.params(one.pk, 2025), tables)
        print(
            f"EXPLAIN: registry's {len(captured.captured_queries)} statements: "
            f"{scans or 'no sequential scan of the grown tables'}; hand-written: "
            f"{hand_scans or 'no sequential scan of the grown tables'}",
            flush=True,
        )
        line = every_figure(one, args.repeat, f"{size:,} rows")
        medians.append(float(line.split(" p50 ")[1].split()[0]))
        print(f"{line} load average {os.getloadavg()[0]:.1f}", flush=True)

        if history_have:
            ids = [t.pk for t in townships[:20]]
            old, new = history_keys(ids)
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT COUNT(*) FROM core_changerecord WHERE township_id = %s", [ids[0]]
                )
                per = cursor.fetchone()[0]
            p, b, ratio = paired(new, old, args.repeat)
            print(
                row(
                    f"board key, 20 townships, {history_have:,} history rows each table "
                    f"(loaded in {hist_loaded:.0f} s, {per:,} change records a township): mark "
                    "vs two COUNTs",
                    p,
                    b,
                    ratio,
                )
                + f" load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    if len(medians) > 1:
        print(
            f"registry p50 growth {args.rows[0]:,} → {args.rows[-1]:,} rows: "
            f"{medians[-1] / medians[0]:.2f}×",
            flush=True,
        )


if __name__ == "__main__":
    main()
