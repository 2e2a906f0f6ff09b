"""Time the 双随机 draw over N entities (not a test), as ratios measured in one run.

    .venv/bin/python bench/bench_draw.py [--entities 1000000] [--repeat 3] [--sql]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_draw_bench .venv/bin/python bench/bench_draw.py

Ratios are of CPU time: this process's, plus on PostgreSQL the server backend's (read from
/proc; parallel query workers are switched off so that all of a query's work is the backend's).
Each figure is the best of --repeat runs.
1. In memory, over the list in the canonical order (by class, then code, as the draw reads it):
   algorithm v2 (fazhi/inspections/sampling.py: PCG64 positions per class, O(n) per class) vs a
   numpy stratified sample (Generator.choice without replacement per class) over the same ids,
   both as positions only and as the drawn (code, class) rows (the sample's ids then pick the
   rows the same way); v1 (SHA-256 per entity) and the standalone verifier's pure-Python v2
   (which sorts the list itself) for reference. Goal: v2 ≤ 2× the numpy sample.
2. Through the database: the raw read of the township's (code, class) pairs unordered, ordered
   as v1 did (by code) and ordered as v2 does (by class, code in "C" collation), the latter with
   the covering index insp_ent_draw and without it (dropped for the measure); v2's read + draw vs
   the raw reads (goal ≤ 1.5×); v1's read + draw for reference; with --sql the hand-written SQL
   v1 draw (PostgreSQL). The full `draw_plan` service also writes the list file, the result rows
   and one change record per drawn entity; its time is printed against the same baselines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random

from _setup import ROOT, Clock, django_setup, serial_server  # noqa: F401

CLASSES = "AAABBBBBBBBBBBBBCCCD"  # about 15% A, 65% B, 15% C, 5% D
RATIOS = {"A": 1, "B": 2, "C": 10, "D": 30}


def best(fn, repeat: int) -> Clock:
    """The run with the least CPU time (client + server) of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        with Clock() as t:
            fn()
        runs.append(t)
    return min(runs, key=lambda t: t.cpu)


def sql_draw(township_id: int, seed: str, ratios: dict[str, float]) -> list[tuple[str, str]]:
    """The published algorithm written by hand in SQL (PostgreSQL): the baseline of a draw done
    where the data is."""
    from django.db import connection

    from fazhi.inspections.draw import VERSION
    from fazhi.inspections.models import Enterprise

    table = Enterprise._meta.db_table
    values = ", ".join(["(%s, %s::numeric)"] * len(ratios))
    params: list = [v for k in sorted(ratios) for v in (k, ratios[k])]
    sql = f"""
        WITH r(credit_class, ratio) AS (VALUES {values})
        SELECT credit_code, credit_class FROM (
            SELECT e.credit_code, e.credit_class, r.ratio,
                   row_number() OVER (PARTITION BY e.credit_class ORDER BY sha256(convert_to(
                       %s || e.credit_class || '|' || e.credit_code, 'UTF8'))) AS rn,
                   count(*) OVER (PARTITION BY e.credit_class) AS n
            FROM {table} e JOIN r ON r.credit_class = e.credit_class
            WHERE e.township_id = %s AND e.is_active AND r.ratio > 0
        ) t
        WHERE rn <= LEAST(n, CEIL(n * ratio / 100 - 1e-9))
        ORDER BY credit_class, rn
    """  # noqa: S608 (table name from the model, values as params)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, f"{VERSION}|{seed}|", township_id])
        return [tuple(r) for r in cursor.fetchall()]


def cpu(t: Clock) -> str:
    return f"{t.cpu * 1000:.0f} ms CPU ({t.client * 1000:.0f} here + {t.server * 1000:.0f} server)"


def ms(t: Clock) -> str:
    return f"{t.client * 1000:.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-service", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="part 1 only (no database)")
    parser.add_argument("--sql", action="store_true", help="also the hand-written SQL v1 draw")
    args = parser.parse_args()
    import os
    from bisect import bisect_left, bisect_right
    from operator import itemgetter

    import numpy as np

    from fazhi.inspections import draw, sampling

    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")
    rnd = random.Random(7)
    entities = [
        (f"91410000MA{i:08d}", CLASSES[rnd.randrange(len(CLASSES))]) for i in range(args.entities)
    ]
    rows = sorted(entities, key=lambda r: (r[1], r[0]))  # as the draw reads them
    seed = "ab" * 32
    second = itemgetter(1)
    slices = {
        c: (bisect_left(rows, c, key=second), bisect_right(rows, c, key=second)) for c in "ABCD"
    }
    by_class = {c: np.arange(start, end) for c, (start, end) in slices.items()}

    def v2():
        return sampling.draw_sorted(rows, seed, RATIOS)

    def v2_positions():
        return [
            sampling.chosen(seed, c, end - start, draw.quota(end - start, RATIOS[c])) + start
            for c, (start, end) in slices.items()
        ]

    def numpy_sample():
        rng = np.random.default_rng(12345)
        return [
            rng.choice(ids, size=draw.quota(len(ids), RATIOS[c]), replace=False)
            for c, ids in by_class.items()
        ]

    def numpy_rows():
        out = []
        for ids in numpy_sample():
            out.extend(itemgetter(*ids.tolist())(rows))
        return out

    assert v2() == draw.draw(entities, seed, RATIOS, "v2"), "numpy path differs from draw.py"
    t_v2 = best(v2, max(args.repeat, 5))
    t_pos = best(v2_positions, max(args.repeat, 5))
    t_numpy = best(numpy_sample, max(args.repeat, 5))
    t_numpy_rows = best(numpy_rows, max(args.repeat, 5))
    t_v1 = best(lambda: draw.draw(entities, seed, RATIOS, "v1"), args.repeat)
    t_pure = best(lambda: draw.draw(entities, seed, RATIOS, "v2"), args.repeat)
    drawn = len(v2())
    print(f"entities {args.entities:,}, drawn {drawn:,}")
    print(
        f"1. positions: v2 {ms(t_pos)} vs numpy stratified sample {ms(t_numpy)}:"
        f" {t_pos.client / t_numpy.client:.2f}× (goal ≤ 2×)"
    )
    print(
        f"   drawn rows: v2 {ms(t_v2)} vs numpy sample + picking its rows {ms(t_numpy_rows)}:"
        f" {t_v2.client / t_numpy_rows.client:.2f}×; vs the bare numpy sample"
        f" {t_v2.client / t_numpy.client:.2f}×"
    )
    print(
        f"   reference: v1 {ms(t_v1)} ({t_v1.client / t_numpy.client:.0f}× the numpy sample);"
        f" the verifier's pure-Python v2 with its sort {ms(t_pure)}"
    )
    if args.memory_only:
        return

    # --- through the database ---------------------------------------------------------------
    django_setup("draw")
    serial_server()
    from django.db import connection, transaction

    from fazhi.core.models import County, Township
    from fazhi.enforcement.models import Certificate, EnforcementBody, Officer
    from fazhi.inspections import random as service
    from fazhi.inspections.models import Enterprise, InspectionItem, RandomPlan

    county = County.objects.create(name="基准县", province="基准省", city="基准市")
    township = Township.objects.create(county=county, name="基准镇")
    shuffled = rows[:]
    random.Random(8).shuffle(shuffled)  # the directory's rows in import order, not code order
    with Clock() as load, transaction.atomic():
        for i in range(0, len(shuffled), 20000):
            Enterprise.objects.bulk_create(
                Enterprise(township=township, name=code, credit_code=code, credit_class=klass)
                for code, klass in shuffled[i : i + 20000]
            )
    del shuffled
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"   (loaded {args.entities:,} rows in {load.wall:.0f} s, {connection.vendor})")
    active = Enterprise.objects.filter(township=township, is_active=True)

    def read_unordered():
        return list(active.order_by().values_list("credit_code", "credit_class"))

    def read_v1():
        return list(active.order_by("credit_code").values_list("credit_code", "credit_class"))

    def read_v2():
        return service.draw_rows(township.pk)

    def read_and_v2():
        return sampling.draw_sorted(service.draw_rows(township.pk), seed, RATIOS)

    def read_and_v1():
        return draw.draw(read_v1(), seed, RATIOS, "v1")

    assert read_v2() == rows, "the database's order is not the canonical order"
    assert read_and_v2() == sampling.draw_sorted(rows, seed, RATIOS)
    t_unordered = best(read_unordered, args.repeat)
    t_read1 = best(read_v1, args.repeat)
    t_read2 = best(read_v2, args.repeat)
    t_both2 = best(read_and_v2, args.repeat)
    t_both1 = best(read_and_v1, args.repeat)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "EXPLAIN SELECT credit_code, credit_class FROM inspections_enterprise"
                " WHERE township_id = %s AND is_active"
                ' ORDER BY credit_class, credit_code COLLATE "C"',
                [township.pk],
            )
            print("   plan of the v2 read: " + " / ".join(r[0].strip() for r in cursor.fetchall()))
    print(f"2. raw read, unordered {cpu(t_unordered)}")
    print(f"   raw read ordered by code (as v1 did) {cpu(t_read1)}")
    print(f"   raw read ordered by class, code (as v2 does, index insp_ent_draw) {cpu(t_read2)}")
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX insp_ent_draw")
        cursor.execute("ANALYZE")
    t_read2_noindex = best(read_v2, args.repeat)
    with connection.cursor() as cursor:
        collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
        cursor.execute(
            "CREATE INDEX insp_ent_draw ON inspections_enterprise"
            f" (township_id, credit_class, credit_code{collate}) WHERE is_active"
        )
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"   the same without the index {cpu(t_read2_noindex)}")
    print(
        f"   read + v2 {cpu(t_both2)}: / its read {t_both2.cpu / t_read2.cpu:.2f}×,"
        f" / unordered read {t_both2.cpu / t_unordered.cpu:.2f}× (goal ≤ 1.5×)"
    )
    print(
        f"   reference: read + v1 {cpu(t_both1)}: / unordered read {t_both1.cpu / t_unordered.cpu:.2f}×"
    )
    t_sql = None
    if args.sql and connection.vendor == "postgresql":
        assert sql_draw(township.pk, seed, RATIOS) == read_and_v1(), "SQL draw differs"
        t_sql = best(lambda: sql_draw(township.pk, seed, RATIOS), args.repeat)
        print(f"   hand-written SQL v1 draw {cpu(t_sql)}")
    if args.skip_service:
        return
    body = EnforcementBody.objects.create(
        township=township, name="基准执法队", kind="comprehensive"
    )
    for n in range(6):
        o = Officer.objects.create(township=township, name=f"检查{n}", kind="officer", body=body)
        Certificate.objects.create(
            township=township,
            officer=o,
            number=f"B{n}",
            category="综合",
            issued_on=dt.date(2024, 1, 1),
            expires_on=dt.date(2030, 1, 1),
            checked_year=2025,
        )
    item = InspectionItem.objects.create(
        township=township,
        code="R1",
        name="抽查",
        body=body,
        basis="依据",
        is_random=True,
        published_on=dt.date(2025, 1, 1),
    )
    plan = RandomPlan.objects.create(
        township=township,
        name="基准",
        body=body,
        start=dt.date(2025, 5, 5),
        end=dt.date(2025, 6, 30),
    )
    plan.check_items.set([item])
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting), Clock() as t_service:
        service.draw_plan(plan, actor=None, seed=seed)
    print(
        f"3. draw_plan service (read, draw, list file, {drawn:,} result rows and change records,"
        f" {count[0]:,} queries): {cpu(t_service)}, wall {t_service.wall * 1000:.0f} ms"
    )
    print(f"   service / its raw read {t_service.cpu / t_read2.cpu:.1f}×", end="")
    if t_sql is not None:
        print(f", service / SQL v1 draw {t_service.cpu / t_sql.cpu:.1f}×", end="")
    print()
    print(f"load average {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")


if __name__ == "__main__":
    main()
