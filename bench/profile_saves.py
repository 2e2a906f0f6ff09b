"""The saves of issue #9 on the demo: CPU time, wall time and queries of each (not a test).

    .venv/bin/python bench/profile_saves.py [--reuse] [-n 20] [--profile dispute-api-edit] [--sql NAME]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_saves_bench .venv/bin/python bench/profile_saves.py

Loads the demo into a throwaway database (var/bench/saves.sqlite3 or DATABASE_URL's database;
--reuse keeps one already loaded) and, as the seed township's operator with the most disputes
and petitions, makes each save `n` times through Django's test client (full middleware):
create and edit of a dispute and of a petition, through the HTML form and through the API
(edits carry the version read). Prints per save the p50/p95 of this process's CPU time (what a
busy machine does not inflate; on PostgreSQL it leaves out the server's work), of wall time,
and the queries one save makes. `--profile NAME` runs that save under cProfile; `--sql NAME`
prints its statements. Goal (issue #9): saves p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import json
import pstats
import time

from _setup import django_setup, pct, vendor

SAVES = [
    "dispute-html-add",
    "dispute-html-edit",
    "dispute-api-add",
    "dispute-api-edit",
    "petition-html-add",
    "petition-html-edit",
    "petition-api-add",
    "petition-api-edit",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="keep the database if loaded")
    parser.add_argument("--profile", choices=SAVES, action="append", default=[])
    parser.add_argument("--sql", choices=SAVES, action="append", default=[])
    parser.add_argument("--only", choices=SAVES, action="append")
    parser.add_argument("--top", type=int, default=45)
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()
    django_setup("saves", fresh=not args.reuse)

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from fazhi.core import resources
    from fazhi.core.forms import form_for
    from fazhi.core.testing import shown_form_data
    from fazhi.disputes.models import Dispute
    from fazhi.petitions.models import Petition

    if not User.objects.filter(username__endswith="_operator").exists():
        t0 = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"load_demo: {time.perf_counter() - t0:.1f} s")

    def records(user: User) -> tuple[bool, int]:
        township = user.memberships.values_list("township", flat=True).first()
        d = Dispute.objects.filter(township=township).count()
        p = Petition.objects.filter(township=township).count()
        return (d > 0 and p > 0, d + p)

    operator = max(User.objects.filter(username__endswith="_operator").order_by("pk"), key=records)
    township = operator.memberships.values_list("township", flat=True).first()
    print(
        f"database: {vendor()}; as {operator.username}: "
        f"{Dispute.objects.filter(township=township).count()} disputes, "
        f"{Petition.objects.filter(township=township).count()} petitions in the township"
    )
    web = Client()
    web.force_login(operator)
    api = APIClient()
    api.force_authenticate(operator)
    dispute = Dispute.objects.filter(township=township).order_by("pk").first()
    petition = Petition.objects.filter(township=township).order_by("pk").first()
    village = dispute.village_id
    petitioner = petition.petitioner_id

    def fresh(model, pk):
        return model._default_manager.get(pk=pk)

    def html_edit(resource_key: str, model, pk: int, field: str):
        def run():
            r = resources.get(*resource_key.split(":"))
            obj = fresh(model, pk)
            form = form_for(r)(instance=obj, user=operator)
            data = shown_form_data(form)
            data[field] = f"基准保存第{next(counter_iter)}次"
            data["version"] = str(obj.version)
            url = r.url("edit", obj)
            return lambda: web.post(url, data), 302

        return run

    def api_edit(url: str, model, pk: int, field: str):
        def run():
            obj = fresh(model, pk)
            body = {field: f"基准保存第{next(counter_iter)}次", "version": obj.version}
            return lambda: api.patch(url, body, format="json"), 200

        return run

    counter_iter = itertools.count(int(time.time()) % 10**6 * 100)  # new parties each run
    today = time.strftime("%Y-%m-%d")

    def dispute_html_add():
        i = next(counter_iter)
        return lambda: web.post(
            "/disputes/disputes/add/",
            {
                "township": township,
                "received_on": today,
                "source": "walk_in",
                "kind": "neighbour",
                "description": f"基准登记第{i}件相邻关系纠纷",
                "village": village,
                "risk_level": "low",
                "applicant_name": f"基准申请人{i}",
                "applicant_phone": f"139{i % 10**8:08d}",
                "respondent_name": f"基准被申请人{i}",
            },
        ), 302

    def dispute_api_add():
        i = next(counter_iter)
        body = {
            "township": township,
            "received_on": today,
            "source": "walk_in",
            "kind": "neighbour",
            "description": f"基准API登记第{i}件",
            "village": village,
            "risk_level": "low",
        }
        return lambda: api.post("/api/disputes/disputes/", body, format="json"), 201

    def petition_html_add():
        i = next(counter_iter)
        return lambda: web.post(
            "/petitions/petitions/add/",
            {
                "township": township,
                "channel": "visit",
                "received_on": today,
                "source": "direct",
                "petitioner_name": f"基准信访人{i}",
                "petitioner_phone": f"137{i % 10**8:08d}",
                "visitor_count": 1,
                "category": "land",
                "subject": f"基准信访事项{i}",
                "content": "要求公开征地补偿款分配方案。",
                "level": "township",
            },
        ), 302

    def petition_api_add():
        i = next(counter_iter)
        body = {
            "township": township,
            "channel": "visit",
            "received_on": today,
            "source": "direct",
            "petitioner": petitioner,
            "visitor_count": 1,
            "category": "land",
            "subject": f"基准API信访事项{i}",
            "content": "请求镇政府协调宅基地边界。",
            "level": "township",
        }
        return lambda: api.post("/api/petitions/petitions/", body, format="json"), 201

    runs = {
        "dispute-html-add": dispute_html_add,
        "dispute-html-edit": html_edit("disputes:disputes", Dispute, dispute.pk, "claims"),
        "dispute-api-add": dispute_api_add,
        "dispute-api-edit": api_edit(
            f"/api/disputes/disputes/{dispute.pk}/", Dispute, dispute.pk, "claims"
        ),
        "petition-html-add": petition_html_add,
        "petition-html-edit": html_edit("petitions:petitions", Petition, petition.pk, "content"),
        "petition-api-add": petition_api_add,
        "petition-api-edit": api_edit(
            f"/api/petitions/petitions/{petition.pk}/", Petition, petition.pk, "content"
        ),
    }

    def check(name: str, response, expected: int):
        if response.status_code != expected:
            body = response.content[:600].decode(errors="replace")
            ctx = getattr(response, "context", None)
            if ctx and "form" in ctx:
                body = json.dumps(ctx["form"].errors, ensure_ascii=False)
            raise SystemExit(f"{name}: {response.status_code} (expected {expected}): {body}")

    def once(name: str, measure=None):
        send, expected = runs[name]()  # the request's data is prepared outside the measure
        if measure is None:
            check(name, send(), expected)
            return
        c0, t0 = time.process_time(), time.perf_counter()
        response = send()
        measure[0].append((time.process_time() - c0) * 1000)
        measure[1].append((time.perf_counter() - t0) * 1000)
        check(name, response, expected)

    all_cpu, all_wall = [], []
    for name in args.only or SAVES:
        once(name)  # warm
        send, expected = runs[name]()
        with CaptureQueriesContext(connection) as captured:
            response = send()
        check(name, response, expected)
        queries = list(captured.captured_queries)  # read now: the next request clears the log
        cpu, wall = [], []
        for _ in range(args.n):
            once(name, (cpu, wall))
        all_cpu += cpu
        all_wall += wall
        print(
            f"{name:<20} CPU p50 {pct(cpu, 50):6.1f} p95 {pct(cpu, 95):6.1f} ms | wall p50 "
            f"{pct(wall, 50):6.1f} p95 {pct(wall, 95):6.1f} ms | {len(queries):3d} queries"
        )
        if name in args.sql:
            for q in queries:
                print("    ", q["sql"][:150])
        if name in args.profile:
            profile = cProfile.Profile()
            for _ in range(args.n):
                send, expected = runs[name]()
                profile.enable()
                response = send()
                profile.disable()
                check(name, response, expected)
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(out.getvalue())
    print(
        f"all saves: CPU p50 {pct(all_cpu, 50):.1f} p95 {pct(all_cpu, 95):.1f} ms; "
        f"wall p50 {pct(all_wall, 50):.1f} p95 {pct(all_wall, 95):.1f} ms"
    )


if __name__ == "__main__":
    main()
