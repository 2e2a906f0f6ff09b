"""Profile the request paths of bench_paths.py (cProfile), on the database that script left behind.

    .venv/bin/python bench/bench_paths.py --townships 20 --rows 20000 --repeat 3   # builds the data
    .venv/bin/python bench/profile_paths.py [--path detail|html|api|bare|one] [-n 50] [--top 40]
        [--sort cumulative|tottime] [--timer cpu|wall]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench .venv/bin/python bench/profile_paths.py

Reuses the bench database (no rebuild), runs each path once to warm, then `n` times under
cProfile, and prints the functions with the largest cumulative and own time, the CPU time of
one call and the queries it makes. Not a test; used to find where a path's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time

from _setup import django_setup

PATHS = {
    "detail": ("api", "/api/disputes/disputes/{detail}/"),
    "one": ("web", "/bench/one/{detail}/"),
    "html": ("web", "/disputes/disputes/?status=mediating&kind=neighbour"),
    "api": ("api", "/api/disputes/disputes/?limit=50"),
    "bare": ("web", "/bench/bare/"),
    "save": ("api", "/api/disputes/disputes/{save}/"),  # PATCH with the version read
}


def _saves(client, url: str, n: int) -> None:
    """`n` API saves of one dispute in a row (PATCH with the version read): CPU time each."""
    import json
    import statistics

    version = client.get(url).json()["version"]
    cpu = []
    for i in range(n):
        c0 = time.process_time()
        response = client.patch(
            url,
            json.dumps({"version": version, "claims": f"基准保存第{i}次"}),
            content_type="application/json",
        )
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, response.content[:300]
        version = response.json()["version"]
    ordered = sorted(cpu)
    print(
        f"===== save {url}: {statistics.median(cpu):.1f} ms CPU a save (p95 "
        f"{ordered[round(0.95 * (len(ordered) - 1))]:.1f}), {n} saves"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", choices=sorted(PATHS), action="append")
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--no-profile", action="store_true", help="CPU time a call only")
    parser.add_argument(
        "--timer",
        choices=("cpu", "wall"),
        default="cpu",
        help="cProfile's clock: this process's CPU time (default; waits for the database and for "
        "a core on a shared machine left out) or wall time",
    )
    args = parser.parse_args()
    django_setup("paths", fresh=False)

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.urls import clear_url_caches
    from rest_framework.authtoken.models import Token

    from fazhi.core.models import Township
    from fazhi.disputes.models import Dispute

    settings.ROOT_URLCONF = "_urls"
    clear_url_caches()
    operator = User.objects.get(username="bench_op")
    token = Token.objects.get(user=operator)
    target = Township.objects.get(membership__user=operator)
    mine = list(Dispute.objects.filter(township=target).order_by("pk").values_list("pk", flat=True))
    detail = mine[len(mine) // 2]
    save = mine[7]
    clients = {"web": Client(), "api": Client(HTTP_AUTHORIZATION=f"Token {token.key}")}
    clients["web"].force_login(operator)

    for name in args.path or ["detail", "html", "api"]:
        kind, url = PATHS[name]
        url = url.format(detail=detail, save=save)
        client = clients[kind]
        if name == "save":
            _saves(client, url, args.n)
            continue
        for _ in range(3):
            assert client.get(url).status_code == 200
        queries = []

        def log(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(log):
            client.get(url)
        c0 = time.process_time()
        for _ in range(args.n):
            client.get(url)
        plain = (time.process_time() - c0) / args.n * 1000
        if args.no_profile:
            print(f"===== {name} {url}: {plain:.2f} ms CPU a call, {len(queries)} queries")
            continue
        c0 = time.process_time()
        profile = cProfile.Profile(time.process_time) if args.timer == "cpu" else cProfile.Profile()
        profile.enable()
        for _ in range(args.n):
            client.get(url)
        profile.disable()
        cpu = (time.process_time() - c0) / args.n * 1000
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(args.sort).print_stats(args.top)
        print(
            f"===== {name} {url}: {cpu:.1f} ms CPU a call under the profiler, {len(queries)} queries"
        )
        for sql in queries:
            print("   ", sql[:160])
        print(out.getvalue())


if __name__ == "__main__":
    main()
