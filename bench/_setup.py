"""Shared set-up for the bench scripts: a throwaway database and timing helpers (not a test).

SQLite: a file under var/bench/ (recreated). PostgreSQL: DATABASE_URL's database, whose public
schema is dropped and recreated (use a database of your own, e.g. fazhi_perf_bench).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup(name: str, *, fresh: bool = True, fast_hashers: bool = True) -> None:
    """Point Django at the bench database (recreated when fresh) and migrate it. `fast_hashers`
    swaps the project's password hasher (argon2, ~0.3 s of CPU a hash) for MD5."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fazhi.settings")
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    if "DATABASE_URL" not in os.environ:
        db = bench_dir / f"{name}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("FAZHI_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if fresh and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)
    if fast_hashers:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def samples(fn: Callable[[], object], repeat: int = 20, warm: int = 1) -> list[float]:
    """Wall times in ms of `repeat` calls after `warm` unmeasured ones."""
    for _ in range(warm):
        fn()
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


CPU: dict[str, float] = {}


def paired(project: Callable[[], object], baseline: Callable[[], object], repeat: int = 20):
    """Alternate project and baseline calls; return (project samples, baseline samples, median
    of the paired ratios project/baseline), wall-clock ms. The median CPU-time ratio of this
    process (less sensitive to other load on a shared machine; on PostgreSQL it leaves out the
    server's work) is left in CPU["ratio"], and the queries per project call in CPU["queries"]."""
    from django.db import connection

    project()
    baseline()
    count = [0]

    def counting(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        project()
    CPU["queries"] = count[0]
    p, b, ratios, cpu = [], [], [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        baseline()
        t1, c1 = time.perf_counter(), time.process_time()
        project()
        t2, c2 = time.perf_counter(), time.process_time()
        b.append((t1 - t0) * 1000)
        p.append((t2 - t1) * 1000)
        ratios.append((t2 - t1) / max(t1 - t0, 1e-9))
        cpu.append((c2 - c1) / max(c1 - c0, 1e-6))
    CPU["ratio"] = statistics.median(cpu)
    return p, b, statistics.median(ratios)


def row(label: str, p: list[float], b: list[float], ratio: float, note: str = "") -> str:
    return (
        f"{label:<42} p50 {pct(p, 50):8.1f} p99 {pct(p, 99):8.1f} ms | "
        f"baseline p50 {pct(b, 50):7.1f} ms | time ×{ratio:6.1f} "
        f"(= throughput {1 / ratio:.3f}) | CPU ×{CPU.get('ratio', 0):6.1f} | "
        f"{CPU.get('queries', 0)} queries {note}"
    )


def vendor() -> str:
    from django.db import connection

    return connection.vendor


def backend_cpu() -> float:
    """CPU seconds (user + system) used so far by this connection's PostgreSQL backend, read
    from /proc (the server runs on this machine); 0.0 on SQLite. Call `serial_server()` first
    so that no parallel worker does part of a query's work out of sight."""
    from django.apps import apps

    if not apps.ready:
        return 0.0  # before django_setup: no database yet
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serial_server() -> None:
    """No parallel query workers for this session (their CPU would not show in backend_cpu)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")


class Clock:
    """Wall time, this process's CPU time and the database backend's CPU time of a block:

    with Clock() as t:
        work()
    t.wall, t.client, t.server, t.cpu (= client + server)
    """

    def __enter__(self) -> Clock:
        self._server = backend_cpu()
        self._client = time.process_time()
        self._wall = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.client = time.process_time() - self._client
        self.server = backend_cpu() - self._server if exc[0] is None else 0.0
        self.cpu = self.client + self.server
