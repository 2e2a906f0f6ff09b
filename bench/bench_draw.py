"""Time the 双随机 draw over N entities (not a test), as ratios measured in one run.

    .venv/bin/python bench/bench_draw.py [--entities 1000000] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_enf_bench .venv/bin/python bench/bench_draw.py

1. The published algorithm (fazhi/inspections/draw.py: SHA-256 key per entity, smallest keys
   per class) vs a numpy stratified sample (Generator.choice without replacement per class) over
   the same ids, both in memory: the cost of verifiability, excluding the database read.
2. Through the database: the read of the township's (code, class) pairs, as the draw does it,
   vs that read plus the algorithm (goal ≤ 1.5×). The full `draw_plan` service also writes the
   list file and one change record per drawn entity; its time is printed separately.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

from _setup import ROOT, django_setup  # noqa: F401

CLASSES = "AAABBBBBBBBBBBBBCCCD"  # about 15% A, 65% B, 15% C, 5% D
RATIOS = {"A": 1, "B": 2, "C": 10, "D": 30}


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


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
        f"1. algorithm {t_ours * 1000:.0f} ms vs numpy stratified sample {t_numpy * 1000:.0f} ms: "
        f"{t_ours / t_numpy:.2f}× (goal ≤ 2×)"
    )

    # --- through the database ---------------------------------------------------------------
    django_setup("draw")
    from django.db import connection, transaction

    from fazhi.core.models import County, Township
    from fazhi.enforcement.models import Certificate, EnforcementBody, Officer
    from fazhi.inspections.models import Enterprise, InspectionItem, RandomPlan

    county = County.objects.create(name="基准县", province="基准省", city="基准市")
    township = Township.objects.create(county=county, name="基准镇")
    t0 = time.perf_counter()
    with transaction.atomic():
        batch = []
        for code, klass in entities:
            batch.append(
                Enterprise(township=township, name=code, credit_code=code, credit_class=klass)
            )
            if len(batch) == 20000:
                Enterprise.objects.bulk_create(batch)
                batch = []
        Enterprise.objects.bulk_create(batch)
    print(
        f"   (loaded {args.entities:,} rows in {time.perf_counter() - t0:.0f} s, {connection.vendor})"
    )

    def read():
        return list(
            Enterprise.objects.filter(township=township, is_active=True)
            .order_by("credit_code")
            .values_list("credit_code", "credit_class")
        )

    def read_and_draw():
        return draw.draw(read(), seed, RATIOS)

    t_read = best(read, args.repeat)
    t_both = best(read_and_draw, args.repeat)
    print(
        f"2. read + algorithm {t_both * 1000:.0f} ms vs raw read {t_read * 1000:.0f} ms: "
        f"{t_both / t_read:.2f}× (goal ≤ 1.5×)"
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

    t0 = time.perf_counter()
    service.draw_plan(plan, actor=None, seed=seed)
    t_service = time.perf_counter() - t0
    print(
        f"3. draw_plan service (read, draw, list file, {drawn:,} result rows and change records): "
        f"{t_service * 1000:.0f} ms = {t_service / t_read:.1f}× the raw read"
    )


if __name__ == "__main__":
    main()
