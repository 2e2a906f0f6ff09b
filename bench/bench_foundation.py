"""Time the foundation's hot paths on generated data (not a test).

    .venv/bin/python bench/bench_foundation.py [--townships 200] [--grids 50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_bench .venv/bin/python bench/bench_foundation.py

Builds a throwaway database (SQLite file under var/bench/, or the given PostgreSQL database,
dropped and recreated), fills one county with T townships × 20 villages × G grids with one grid
worker each, then times through the real code paths: the scope gate's filtered count for a
township operator and for the county supervisor, the org figures from the indicator registry for
one township-year, a list page and an API page as an operator, and an Excel export of 1,000 rows.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn, repeat: int = 20) -> float:
    fn()  # warm
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=100)
    parser.add_argument("--grids", type=int, default=10, help="grids per village")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        db = bench_dir / "bench.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["FAZHI_ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    from fazhi.core import io, resources
    from fazhi.core.models import County, Grid, GridAssignment, Membership, Staff, Township, Village
    from fazhi.indicators import registry

    t0 = time.perf_counter()
    with transaction.atomic():
        county = County.objects.create(name="基准县", province="基准省")
        townships = Township.objects.bulk_create(
            Township(county=county, name=f"镇{i:04d}") for i in range(args.townships)
        )
        villages = Village.objects.bulk_create(
            Village(township=t, name=f"村{j:02d}") for t in townships for j in range(20)
        )
        grids = Grid.objects.bulk_create(
            Grid(township_id=v.township_id, village=v, name=f"格{k:02d}")
            for v in villages
            for k in range(args.grids)
        )
        staff = Staff.objects.bulk_create(
            Staff(township_id=g.township_id, name=f"网格员{g.pk}") for g in grids
        )
        GridAssignment.objects.bulk_create(
            GridAssignment(township_id=g.township_id, grid=g, staff=s, start="2025-01-01")
            for g, s in zip(grids, staff, strict=True)
        )
        operator = User.objects.create_user("bench_op", password="x")
        Membership.objects.create(user=operator, role="township_operator", township=townships[0])
        supervisor = User.objects.create_user("bench_sup", password="x")
        Membership.objects.create(user=supervisor, role="county_supervisor", county=county)
    build = time.perf_counter() - t0
    rows = (
        Grid.objects.count()
        + GridAssignment.objects.count()
        + Village.objects.count()
        + Staff.objects.count()
    )
    print(
        f"database: {connection.vendor}; {args.townships} townships, {rows:,} org rows built in {build:.1f} s"
    )

    period = registry.Period.year(2025)
    target = townships[0]
    results = {
        "scope gate: operator's grid count (one township)": timed(
            lambda: Grid.objects.visible_to(operator).count()
        ),
        "scope gate: supervisor's grid count (whole county)": timed(
            lambda: Grid.objects.visible_to(supervisor).count()
        ),
        "registry: org figures of one township-year": timed(
            lambda: registry.compute_group("core", target, period)
        ),
    }
    client = Client()
    client.force_login(operator)
    grids_list = resources.get("core", "grids").url("list")
    results["page: grid list (50 rows) as operator"] = timed(
        lambda: client.get(grids_list), repeat=10
    )
    results["api: /api/core/grids/ (50 rows) as operator"] = timed(
        lambda: client.get("/api/core/grids/"), repeat=10
    )
    r = resources.get("core", "grids")
    export_rows = r.queryset(operator)[:1000]
    results["excel: export 1,000 grids"] = timed(
        lambda: io.export_workbook(r, export_rows), repeat=3
    )
    for label, ms in results.items():
        print(f"{label:<55} {ms:9.2f} ms (median)")


if __name__ == "__main__":
    main()
