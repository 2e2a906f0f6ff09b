"""Time the 双随机 draw over N entities (not a test), as ratios measured in one run.

    .venv/bin/python bench/bench_draw.py [--entities 1000000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_enf_bench .venv/bin/python bench/bench_draw.py

Ratios are of CPU time: this process's, plus on PostgreSQL the server backend's (read from
/proc; parallel query workers are switched off so that all of a query's work is the backend's).
Each figure is the best of --repeat runs.
1. The published algorithm (fazhi/inspections/draw.py: SHA-256 key per entity, smallest keys
   per class) vs a numpy stratified sample (Generator.choice without replacement per class) over
   the same ids, both in memory: the cost of verifiability, excluding the database read.
2. Through the database: the read of the township's (code, class) pairs, as the draw does it,
   vs that read plus the algorithm (goal ≤ 1.5×), and vs a hand-written SQL draw on PostgreSQL
   (the same algorithm in one statement: sha256() key, row_number() per class; checked to give
   the same list). The full `draw_plan` service also writes the list file, the result rows and
   one change record per drawn entity; its time is printed against the same baselines.
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-service", action="store_true")
    args = parser.parse_args()
    import numpy as np

    from fazhi.inspections import draw

    rnd = random.Random(7)
    entities = [
        (f"91410000MA{i:08d}", CLASSES[rnd.randrange(len(CLASSES))]) for i in range(args.entities)
    ]
    seed = "ab" * 32

    def ours():
        return draw.draw(entities, seed, RATIOS)

    by_class: dict[str, np.ndarray] = {}
    for c in "ABCD":
        by_class[c] = np.array([i for i, (_, k) in enumerate(entities) if k == c])

    def numpy_sample():
        rng = np.random.default_rng(12345)
        return [
            rng.choice(ids, size=draw.quota(len(ids), RATIOS[c]), replace=False)
            for c, ids in by_class.items()
        ]

    t_ours = best(ours, args.repeat)
    t_numpy = best(numpy_sample, args.repeat)
    drawn = len(ours())
    print(f"entities {args.entities:,}, drawn {drawn:,}")
    print(
        f"1. algorithm {t_ours.client * 1000:.0f} ms vs numpy stratified sample"
        f" {t_numpy.client * 1000:.0f} ms CPU: {t_ours.client / t_numpy.client:.2f}× (goal ≤ 2×)"
    )

    # --- through the database ---------------------------------------------------------------
    django_setup("draw")
    serial_server()
    from django.db import connection, transaction

    from fazhi.core.models import County, Township
    from fazhi.enforcement.models import Certificate, EnforcementBody, Officer
    from fazhi.inspections.models import Enterprise, InspectionItem, RandomPlan

    county = County.objects.create(name="基准县", province="基准省", city="基准市")
    township = Township.objects.create(county=county, name="基准镇")
    with Clock() as load, transaction.atomic():
        batch = []
        for code, klass in entities:
            batch.append(
                Enterprise(township=township, name=code, credit_code=code, credit_class=klass)
            )
            if len(batch) == 20000:
                Enterprise.objects.bulk_create(batch)
                batch = []
        Enterprise.objects.bulk_create(batch)
    print(f"   (loaded {args.entities:,} rows in {load.wall:.0f} s, {connection.vendor})")

    def read():
        return list(
            Enterprise.objects.filter(township=township, is_active=True)
            .order_by("credit_code")
            .values_list("credit_code", "credit_class")
        )

    def read_and_draw():
        return draw.draw(read(), seed, RATIOS)

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    t_read = best(read, args.repeat)
    t_both = best(read_and_draw, args.repeat)
    print(f"2. raw read {cpu(t_read)}; read + algorithm {cpu(t_both)}:")
    print(f"   read + algorithm / raw read: {t_both.cpu / t_read.cpu:.2f}× (goal ≤ 1.5×)")
    t_sql = None
    if connection.vendor == "postgresql":
        assert sql_draw(township.pk, seed, RATIOS) == read_and_draw(), "SQL draw differs"
        t_sql = best(lambda: sql_draw(township.pk, seed, RATIOS), args.repeat)
        print(
            f"   hand-written SQL draw {cpu(t_sql)}: read + algorithm / SQL draw"
            f" {t_both.cpu / t_sql.cpu:.2f}×"
        )
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
    from fazhi.inspections import random as service

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
    print(f"   service / raw read {t_service.cpu / t_read.cpu:.1f}×", end="")
    if t_sql is not None:
        print(f", service / SQL draw {t_service.cpu / t_sql.cpu:.1f}×", end="")
    print()


if __name__ == "__main__":
    main()
