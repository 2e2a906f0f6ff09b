"""`load_demo` on a fresh database: wall time, CPU time of this process and queries (not a test).

    .venv/bin/python bench/bench_demo.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench .venv/bin/python bench/bench_demo.py

The query count does not depend on the machine's load; the CPU time hardly does (on SQLite it
includes the database's work, on PostgreSQL not). Goal (issue #9): ≤ 15 s wall.
"""

from __future__ import annotations

import time

from _setup import django_setup, vendor


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def main() -> None:
    django_setup("demo")
    from django.core.management import call_command
    from django.db import connection

    from fazhi.core.models import ChangeRecord

    counter = Counter()
    with connection.execute_wrapper(counter):
        t0, c0 = time.perf_counter(), time.process_time()
        call_command("load_demo", verbosity=0)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"database: {vendor()}; load_demo: {wall:.1f} s wall, {cpu:.1f} s CPU, "
        f"{counter.n:,} queries, {ChangeRecord.objects.count():,} change records"
    )
    counter.n = 0
    with connection.execute_wrapper(counter):
        t0 = time.perf_counter()
        call_command("load_demo", verbosity=0)
        again = time.perf_counter() - t0
    print(f"second run (nothing changes): {again:.1f} s wall, {counter.n:,} queries")


if __name__ == "__main__":
    main()
