"""`load_demo` on a fresh database: wall time, CPU time of this process and queries, in total and
per step (core's steps and each module's), then a second run (not a test).

    .venv/bin/python bench/bench_demo.py [--md5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_demo_bench .venv/bin/python bench/bench_demo.py

The demo logins' passwords are hashed with the project's hasher (argon2), as `manage.py
load_demo` does; `--md5` swaps in MD5 like the other benches (and like this script before
2 Dec 2026: its earlier figures left the password hashing out).

The query count does not depend on the machine's load; the CPU time hardly does (on SQLite it
includes the database's work, on PostgreSQL not). Goal (issue #9): ≤ 15 s wall.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter as Tally

from _setup import django_setup, vendor


class Counter:
    def __init__(self) -> None:
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--md5", action="store_true", help="MD5 instead of the project's hasher")
    args = parser.parse_args()
    django_setup("demo", fast_hashers=args.md5)
    from django.core.management import call_command
    from django.db import connection

    from fazhi.core import demo
    from fazhi.core.models import ChangeRecord

    counter = Counter()
    queries: Tally = Tally()
    cpu: Tally = Tally()
    demo.discover()

    def timed(step):
        name = f"{step.__module__.removeprefix('fazhi.')}.{step.__name__}"

        def run(townships):
            n, c = counter.n, time.process_time()
            step(townships)
            queries[name] += counter.n - n
            cpu[name] += time.process_time() - c

        run.__module__ = step.__module__  # keeps the steps in INSTALLED_APPS order
        return run

    original = list(demo.LOADERS)
    demo.LOADERS[:] = [timed(step) for step in original]
    try:
        with connection.execute_wrapper(counter):
            t0, c0 = time.perf_counter(), time.process_time()
            call_command("load_demo", verbosity=0)
            wall, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        demo.LOADERS[:] = original
    from django.conf import settings

    hasher = settings.PASSWORD_HASHERS[0].rpartition(".")[2]
    print(
        f"database: {vendor()}, {hasher}; load_demo: {wall:.1f} s wall, {total_cpu:.1f} s CPU, "
        f"{counter.n:,} queries, {ChangeRecord.objects.count():,} change records"
    )
    for name, n in queries.most_common():
        print(f"  {name:<40} {n:>7,} queries {cpu[name]:6.1f} s CPU")
    counter.n = 0
    with connection.execute_wrapper(counter):
        t0 = time.perf_counter()
        call_command("load_demo", verbosity=0)
        again = time.perf_counter() - t0
    print(f"second run (nothing changes): {again:.1f} s wall, {counter.n:,} queries")


if __name__ == "__main__":
    main()
