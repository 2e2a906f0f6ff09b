"""Walk every page and every save of the demo and print p50/p95 server time per page (not a test).

    .venv/bin/python bench/walk_demo.py [--repeat 5] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fazhi_perf_bench .venv/bin/python bench/walk_demo.py

Loads the demo into a throwaway database (var/bench/walk.sqlite3 or DATABASE_URL's database;
--reuse keeps one already loaded), then, as the first seed township's operator and as a county
supervisor, requests through Django's test client (in-process, full middleware):
  - every URL pattern without arguments (home, lists, indicator pages, deadlines …);
  - for every registered resource: its list, the detail and edit pages of its first row;
  - every save: the API PATCH of the first row of every resource the operator may change
    (one text field changed and the version read, so it goes through the services), and the
    dispute and petition saves the issue names;
each `--repeat` times; prints per page p50/p95 (ms) and status, slowest first, then the overall
p50/p95 of pages and of saves. Goal (issue #9): saves p95 ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import time

from _setup import django_setup, pct, vendor


def _patterns(resolver, prefix: str = "") -> list[str]:
    from django.urls import URLPattern, URLResolver

    out = []
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            out += _patterns(p, route)
        elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
            out.append("/" + route.lstrip("^").rstrip("$"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the database if loaded")
    args = parser.parse_args()
    django_setup("walk", fresh=not args.reuse)

    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import get_resolver
    from rest_framework.test import APIClient

    from fazhi.core import resources
    from fazhi.core.roles import CHANGE, VIEW

    if not User.objects.filter(username__endswith="_operator").exists():
        t0 = time.perf_counter()
        call_command("load_demo", verbosity=0)
        print(f"load_demo: {time.perf_counter() - t0:.1f} s")
    from fazhi.disputes.models import Dispute
    from fazhi.petitions.models import Petition

    def records(user: User) -> int:
        township = user.memberships.values_list("township", flat=True).first()
        return (
            Dispute.objects.filter(township=township).count()
            + Petition.objects.filter(township=township).count()
        )

    operator = max(
        User.objects.filter(username__endswith="_operator").order_by("pk"), key=records
    )  # the seed township with the most disputes and petitions
    supervisor = User.objects.filter(username__endswith="_supervisor").order_by("pk").first()
    print(f"database: {vendor()}; walking as {operator.username} and {supervisor.username}")

    times: dict[str, list[float]] = {}
    status: dict[str, int] = {}
    saves: set[str] = set()
    urls: dict[str, str] = {}

    def hit(label: str, fn) -> None:
        t0 = time.perf_counter()
        response = fn()
        times.setdefault(label, []).append((time.perf_counter() - t0) * 1000)
        status[label] = response.status_code
        urls[label] = getattr(response, "request", {}).get("PATH_INFO", "")

    skip = ("/accounts/logout/", "/api/schema/", "/api/docs/", "/api/redoc/")
    pages: list[tuple[str, Client, str]] = []
    for user in (operator, supervisor):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        for url in _patterns(get_resolver()):
            if url.startswith(skip) or "export" in url or "template" in url:
                continue
            pages.append((f"{user.username:<18} GET {url}", client, url))
        for r in resources.all_resources():
            obj = r.queryset(user, VIEW).order_by("pk").first()
            pages.append((f"{user.username:<18} GET {r.key} list", client, r.url("list")))
            if obj is not None:
                for view in ("detail", "edit"):
                    try:
                        url = r.url(view, obj)
                    except Exception:
                        continue
                    pages.append((f"{user.username:<18} GET {r.key} {view}", client, url))

    api = APIClient(raise_request_exception=False)
    api.force_authenticate(operator)
    edits = []
    for r in resources.all_resources():
        obj = r.queryset(operator, CHANGE).order_by("pk").first()
        if obj is None:
            continue
        text = next(
            (
                f
                for f in r.fields
                if r.model._meta.get_field(f).get_internal_type() in ("TextField", "CharField")
                and not r.model._meta.get_field(f).choices
                and f
                in ("note", "description", "claims", "address", "remark", "content", "summary")
            ),
            None,
        )
        if text is None:
            continue
        edits.append((r, obj.pk, text))

    for _ in range(args.repeat):
        for label, client, url in pages:
            hit(label, lambda c=client, u=url: c.get(u))
        for r, pk, text in edits:
            obj = r.model._default_manager.get(pk=pk)
            value = (getattr(obj, text) or "").rstrip("。") + "。"
            url = f"/api/{r.app_label}/{r.slug}/{pk}/"
            label = f"{operator.username:<18} SAVE {r.key}.{text}"
            saves.add(label)
            hit(
                label,
                lambda u=url, v=value, o=obj, t=text: api.patch(
                    u, {t: v if len(v) < 2000 else v[:100], "version": o.version}, format="json"
                ),
            )

    rows = sorted(times.items(), key=lambda kv: -pct(kv[1], 50))
    for label, samples in rows:
        print(
            f"{label:<75} {status[label]:>3}  p50 {pct(samples, 50):8.1f}  p95 {pct(samples, 95):8.1f} ms"
        )
    page_samples = [s for k, v in times.items() if k not in saves for s in v]
    save_samples = [s for k, v in times.items() if k in saves for s in v]
    bad = sorted(k for k, v in status.items() if v >= 500)
    print(
        f"pages: {len(times) - len(saves)}, p50 {pct(page_samples, 50):.1f} ms, "
        f"p95 {pct(page_samples, 95):.1f} ms; saves: {len(saves)}, p50 {pct(save_samples, 50):.1f} ms, "
        f"p95 {pct(save_samples, 95):.1f} ms; 5xx: {len(bad)}"
    )
    for label in bad:
        print(f"  5xx: {label} {urls.get(label, '')}")


if __name__ == "__main__":
    main()
