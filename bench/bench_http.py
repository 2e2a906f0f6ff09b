"""The per-request paths through gunicorn (production settings, -w 2), driven by wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench \
        .venv/bin/python bench/bench_http.py [--townships 20] [--rows 20000] [--rounds 3] [--seconds 5] [--port N]
        [--paths detail,html,api] [--saves 40]

Builds the same data as bench_paths.py, starts `gunicorn -w 2` with FAZHI_PRODUCTION=1 on a free
port (requests carry `X-Forwarded-Proto: https`, as behind the reverse proxy), then for each path
and each number of connections (1 and 16) runs wrk on the project's URL and on its baseline,
alternating (the order swapped every round), `--rounds` times for `--seconds` each. Prints the
median req/s of both, the median of the paired throughput ratios, and p50/p99 latency (wrk's
--latency). Also the server's CPU time per request (gunicorn workers and PostgreSQL backends,
read from /proc around each window) and their ratio: the throughput ratio idle cores would give,
much less sensitive to other load on a shared machine. Then times `--saves` sequential API saves
of one dispute (PATCH with the version read) through the same server: p50/p95. Needs wrk (Debian: `apt-get install wrk`). Not a test.

  API detail of one dispute (token)      vs a Django view reading one row by id (_urls.one_row)
  HTML list, 50 rows, 2 filters (session) vs a bare Django JSON view (_urls.bare)
  API list, 50 rows (token)              vs the same bare JSON view
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
SECRET = secrets.token_urlsafe(64)
# the server and this process must share the key: sessions are signed with it
os.environ["FAZHI_SECRET_KEY"] = SECRET

from _setup import django_setup, pct  # noqa: E402

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "_bench_settings",
        "FAZHI_PRODUCTION": "1",
        "FAZHI_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}",
    }
    out = open(log, "w")  # noqa: SIM115 (kept open for the server's life)
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--control-socket",  # its own, not the user's shared default
            str(log.with_suffix(".ctl")),
            "--access-logfile",
            "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null",
            "fazhi.wsgi:application",
        ],
        cwd=BENCH,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log}")
        try:
            conn = HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare/", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
        except OSError:
            time.sleep(0.5)
            continue
        return proc
    proc.terminate()
    raise SystemExit("gunicorn did not start in 120 s")


def wrk(
    url: str,
    headers: dict[str, str],
    connections: int,
    seconds: int,
    cpu: ServerCpu | None = None,
) -> dict[str, float]:
    if cpu is not None:
        app0, db0, pids = cpu.sample()
    threads = 1 if connections == 1 else 2
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "30s",
    ]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    text = subprocess.run([*cmd, url], capture_output=True, text=True, check=True).stdout
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad or "Socket errors" in text:
        raise SystemExit(f"wrk saw errors on {url}:\n{text}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    lat = {}
    for p in ("50", "99"):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        lat[p] = float(m.group(1)) * _UNITS[m.group(2)]
    out = {"rps": rps, "p50": lat["50"], "p99": lat["99"]}
    if cpu is not None:
        requests = int(re.search(r"(\d+) requests in", text).group(1))
        workers, backends = cpu.pids()
        if set(pids[0]) - set(workers) or set(pids[1]) - set(backends):
            # a worker or a backend ended in the window (the connections' 60 s CONN_MAX_AGE):
            # its CPU time is gone with it, the window is left out of the CPU figures
            return out
        new = [pid for pid in backends if pid not in pids[1]]  # opened in the window
        app1, db1 = _cpu_seconds(pids[0]), _cpu_seconds(pids[1]) + _cpu_seconds(new)
        out["app_ms"] = (app1 - app0) * 1000 / max(requests, 1)
        out["db_ms"] = (db1 - db0) * 1000 / max(requests, 1)
    return out


_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes (/proc/<pid>/stat), in seconds."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / _TICK


class ServerCpu:
    """The CPU time the server side spends: gunicorn's workers (children of the master) and
    the PostgreSQL backends of the bench database (the workers' persistent connections).
    Read before and after each wrk window: CPU ms per request, insensitive to the other load
    of a shared machine (which slows the requests, not the work each one does)."""

    def __init__(self, master: int) -> None:
        self.master = master

    def pids(self) -> tuple[list[int], list[int]]:
        workers = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
                if ppid == self.master:
                    workers.append(int(entry))
        backends = []
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                backends = [pid for (pid,) in cursor.fetchall()]
        return workers, backends

    def sample(self) -> tuple[float, float, tuple[list[int], list[int]]]:
        workers, backends = self.pids()
        return _cpu_seconds(workers), _cpu_seconds(backends), (workers, backends)


def _check(port: int, path: str, headers: dict[str, str]) -> None:
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise SystemExit(f"{path}: HTTP {response.status} (expected 200)")


def saves(port: int, token: str, pk: int, count: int) -> list[float]:
    """`count` sequential API saves of one dispute, each with the version it read (ms)."""
    headers = {
        "Authorization": f"Token {token}",
        "X-Forwarded-Proto": "https",
        "Content-Type": "application/json",
    }
    conn = HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"/api/disputes/disputes/{pk}/", headers=headers)
    version = json.loads(conn.getresponse().read())["version"]
    out = []
    for i in range(count):
        body = json.dumps({"version": version, "claims": f"基准保存第{i}次"})
        conn = HTTPConnection("127.0.0.1", port, timeout=60)
        t0 = time.perf_counter()
        conn.request("PATCH", f"/api/disputes/disputes/{pk}/", body=body.encode(), headers=headers)
        response = conn.getresponse()
        data = response.read()
        out.append((time.perf_counter() - t0) * 1000)
        if response.status != 200:
            raise SystemExit(f"save: HTTP {response.status}: {data[:300]!r}")
        version = json.loads(data)["version"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--townships", type=int, default=20)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", default="1,16")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--saves", type=int, default=40)
    parser.add_argument(
        "--paths",
        default="detail,html,api",
        help="which paths, comma-separated: detail (API detail), html (HTML list), api (API list)",
    )
    parser.add_argument(
        "--port", type=int, default=0, help="the server's port (default: a free one)"
    )
    args = parser.parse_args()
    django_setup("http")

    from bench_paths import prepare
    from django.test import Client

    data = prepare(args.townships, args.rows)
    web = Client()
    web.force_login(data.operator)
    cookie = f"sessionid={web.cookies['sessionid'].value}"
    session = {"Cookie": cookie, "X-Forwarded-Proto": "https"}
    token = {"Authorization": f"Token {data.token.key}", "X-Forwarded-Proto": "https"}
    detail = data.mine[len(data.mine) // 2]

    from django.db import connections

    connections.close_all()
    port = args.port or _free_port()
    log = ROOT / "var" / "bench" / "gunicorn.log"
    server = start_gunicorn(port, args.workers, log)
    try:
        paths = [
            (
                "detail",
                "API detail of one dispute (token)",
                f"/api/disputes/disputes/{detail}/",
                token,
                f"/bench/one/{detail}/",
                session,
                "one-row view",
            ),
            (
                "html",
                "HTML list, 50 rows, 2 filters",
                "/disputes/disputes/?status=mediating&kind=neighbour",
                session,
                "/bench/bare/",
                session,
                "bare JSON view",
            ),
            (
                "api",
                "API list, 50 rows",
                "/api/disputes/disputes/?limit=50",
                token,
                "/bench/bare/",
                session,
                "bare JSON view",
            ),
        ]
        wanted = args.paths.split(",")
        paths = [p[1:] for p in paths if p[0] in wanted]
        for _, project, ph, baseline, bh, _ in paths:
            _check(port, project, ph)
            _check(port, baseline, bh)
        load = os.getloadavg()
        print(
            f"gunicorn -w {args.workers}, FAZHI_PRODUCTION=1, {data.target} as its operator; "
            f"wrk {args.rounds} rounds × {args.seconds} s per URL; load average "
            f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f}",
            flush=True,
        )
        base = f"http://127.0.0.1:{port}"
        cpu = ServerCpu(server.pid)
        for connections_count in [int(c) for c in args.connections.split(",")]:
            for label, project, ph, baseline, bh, note in paths:
                wrk(base + project, ph, connections_count, 1)  # warm both workers
                wrk(base + baseline, bh, connections_count, 1)
                runs_p, runs_b, ratios = [], [], []
                for r in range(args.rounds):
                    if r % 2 == 0:
                        p = wrk(base + project, ph, connections_count, args.seconds, cpu)
                        b = wrk(base + baseline, bh, connections_count, args.seconds, cpu)
                    else:
                        b = wrk(base + baseline, bh, connections_count, args.seconds, cpu)
                        p = wrk(base + project, ph, connections_count, args.seconds, cpu)
                    runs_p.append(p)
                    runs_b.append(b)
                    ratios.append(p["rps"] / b["rps"])

                def med(runs, key):
                    return statistics.median(x[key] for x in runs)

                p50, p99 = med(runs_p, "p50"), med(runs_p, "p99")
                print(
                    f"c={connections_count:<2} {label:<36} {med(runs_p, 'rps'):7.1f} vs "
                    f"{med(runs_b, 'rps'):7.1f} req/s = throughput {statistics.median(ratios):.3f} "
                    f"({note}) | p50 {p50:6.1f} p99 {p99:6.1f} ms, p99/p50 {p99 / max(p50, 1e-9):4.1f} | "
                    f"baseline p50 {med(runs_b, 'p50'):5.1f} p99 {med(runs_b, 'p99'):5.1f} ms",
                    flush=True,
                )
                # the server's CPU per request (gunicorn workers + PostgreSQL backends): the
                # ratio of the two is the throughput ratio two otherwise idle cores would give
                pairs = [
                    (p["app_ms"] + p["db_ms"], b["app_ms"] + b["db_ms"], p, b)
                    for p, b in zip(runs_p, runs_b, strict=True)
                    if "app_ms" in p and "app_ms" in b
                ]
                if pairs:
                    print(
                        f"     server CPU a request: "
                        f"{statistics.median(x[2]['app_ms'] for x in pairs):.2f} app + "
                        f"{statistics.median(x[2]['db_ms'] for x in pairs):.2f} db ms vs "
                        f"{statistics.median(x[3]['app_ms'] for x in pairs):.2f} + "
                        f"{statistics.median(x[3]['db_ms'] for x in pairs):.2f} ms = CPU throughput "
                        f"{statistics.median(b / p for p, b, _, _ in pairs):.3f} (rounds: "
                        f"{' '.join(f'{p:.2f}/{b:.2f}' for p, b, _, _ in pairs)})",
                        flush=True,
                    )
        if args.saves:
            times = saves(port, data.token.key, detail, args.saves)
            print(
                f"API save of one dispute (PATCH with version), {args.saves} in a row: "
                f"p50 {pct(times, 50):.1f} p95 {pct(times, 95):.1f} max {max(times):.1f} ms",
                flush=True,
            )
        print(f"load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
