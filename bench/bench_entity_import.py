"""Time the entity directory import (检查对象名录, inspections/directory.py) over N rows, as a ratio
against an openpyxl read-only pass over the same file measured in the same run (not a test).
Ratios are of CPU time (this process, plus on PostgreSQL the server backend's, read from /proc):
wall time on a shared machine mostly measures the neighbours.

    .venv/bin/python bench/bench_entity_import.py                 # 100,000 rows (default)
    .venv/bin/python bench/bench_entity_import.py --rows 1000000  # the issue's figure
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_insp2_bench \
        .venv/bin/python bench/bench_entity_import.py

1. Generates an N-row .xlsx like a real directory (名称, 统一社会信用代码, 信用风险分类, 行业, 地址,
   在营) under var/bench/ with openpyxl's write-only mode.
2. Baseline: one openpyxl read-only pass over every row of the file (values only).
3. The real path: the background job `inspections.directory_import` run by core.jobs (bounds
   check, SHA-256 of the file, full validation pass, second pass writing with bulk_create in
   batches inside one transaction, progress on the job).
4. --reimport: the same file again (every row an update of an existing entity).
Peak memory is the process's maximum resident set (resource.getrusage) after each phase, so the
import's figure includes everything before it; tracemalloc is not used (it slows the code).
The import's peak is also shown as its growth over the peak before it.
"""

from __future__ import annotations

import argparse
import resource
import time

from _setup import ROOT, Clock, django_setup, serial_server

CLASSES = "AAABBBBBBBBBBBBBCCCD"  # about 15% A, 65% B, 15% C, 5% D


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(path, rows: int) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("检查对象名录")
    ws.append(["名称", "统一社会信用代码", "信用风险分类", "行业", "地址", "在营"])
    for n in range(rows):
        ws.append(
            [
                f"基准{n}号商贸有限公司",
                f"91410000MA{n:08d}",
                CLASSES[(n * 7919) % len(CLASSES)],
                "批发和零售业",
                f"基准镇建设路{n % 500}号",
                "是",
            ]
        )
    wb.save(path)


def read_pass(path) -> int:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    count = 0
    for _ in wb.worksheets[0].iter_rows(min_row=2, values_only=True):
        count += 1
    wb.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--reimport", action="store_true", help="import the same file again")
    args = parser.parse_args()
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    path = bench_dir / f"entities_{args.rows}.xlsx"
    t0 = time.perf_counter()
    generate(path, args.rows)
    size_mb = path.stat().st_size / 2**20
    print(
        f"generated {args.rows:,} rows, {size_mb:.1f} MB in {time.perf_counter() - t0:.1f} s"
        f" (peak RSS {peak_mb():.0f} MB)"
    )

    with Clock() as read:
        counted = read_pass(path)
    assert counted == args.rows, counted
    print(
        f"openpyxl read-only pass: CPU {read.client:.1f} s, wall {read.wall:.1f} s"
        f" (peak RSS {peak_mb():.0f} MB)"
    )

    django_setup("entity_import")
    serial_server()
    from django.db import connection

    from fazhi.core import jobs
    from fazhi.core.models import County, Township
    from fazhi.inspections import directory
    from fazhi.inspections.models import Enterprise

    county = County.objects.create(name="基准县", province="基准省", city="基准市")
    township = Township.objects.create(county=county, name="基准镇")
    rounds = ["import (all new)"] + (["re-import (all updates)"] if args.reimport else [])
    for label in rounds:
        before = peak_mb()
        job = jobs.enqueue(
            directory.KIND, township=township, params={"township": township.pk, "file": str(path)}
        )
        count = [0]

        def counting(execute, sql, params, many, context, count=count):
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting), Clock() as run:
            jobs.run(job)
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        written = Enterprise.objects.filter(township=township).count()
        assert written == args.rows, written
        print(
            f"{label} ({connection.vendor}): CPU {run.client:.1f} s here + {run.server:.1f} s"
            f" server, wall {run.wall:.1f} s, {count[0]:,} queries for {written:,} entities;"
            f" peak RSS {peak_mb():.0f} MB (+{peak_mb() - before:.0f} MB);"
            f" progress {job.progress:,}/{job.total:,}"
        )
        print(
            f"   CPU ratio {label} / read-only pass: {run.client / read.client:.2f}× here,"
            f" {run.cpu / read.client:.2f}× with the server (goal ≤ 4×);"
            f" wall {run.wall / read.wall:.2f}×"
        )


if __name__ == "__main__":
    main()
