"""Issue 7 items 7 and 8, kept proven for every module present and future: every URL pattern
(discovered from the URL resolver) is requested

1. with an unknown id, ids beyond any database id, and hostile query and form values (huge
   integers, `abc`, negative numbers, very long strings, quotes and NUL) by the roles of the
   test cast (every role, anonymous included): no answer is a 5xx;
2. by users of 甲镇 (and a supervisor of another county, and an anonymous visitor) with the id of
   a row of 乙镇 — every model, every page, workflow action and API method: the answer is the
   one an id that does not exist gets (no 403-versus-404 oracle, never a 2xx), and nothing
   changes.

In CI the roles and values rotate over the routes (every route is tried, every role meets many
routes); `FAZHI_SWEEP_FULL=1` tries every role on every route. The figures (requests, 5xx,
leaks) are printed with `-s`."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import User
from django.test import Client

from fazhi.core import testing_sweeps as sweeps
from fazhi.core.choices import Role
from fazhi.core.models import ChangeRecord, DomainEvent, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def routes() -> list[sweeps.Route]:
    return sweeps.patterns()


def _client(user: Any) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


def _hostile_query(route: sweeps.Route, value: str) -> dict[str, str]:
    names = set(sweeps.COMMON_PARAMS)
    resource = route.resource
    if resource is not None:
        names.update(resource.get_filterset_class().base_filters)
    return dict.fromkeys(sorted(names), value)


def _pick(items: list[Any], index: int) -> list[Any]:
    return items if sweeps.FULL else [items[index % len(items)]]


def test_no_url_answers_5xx_with_unknown_ids_and_hostile_values(cast, routes):
    unmapped = [r.key for r in routes if r.id_params and r.model is None]
    assert not unmapped, f"declare the model of these id routes in EXTRA_MODELS: {unmapped}"
    advisor = User.objects.create_user("a_advisor", password="x")
    Membership.objects.create(user=advisor, role=Role.LEGAL_ADVISOR, township=cast.a)
    roles = [
        ("平台管理员", cast.admin),
        ("县级督导", cast.supervisor),
        ("乡镇管理员", cast.a_admin),
        ("乡镇经办人", cast.a_operator),
        ("只读用户", cast.a_viewer),
        ("站所工作人员", cast.a_officer),
        ("法律顾问", advisor),
        ("调解员", cast.a1_mediator),
        ("网格员", cast.a1_grid),
        ("无角色", cast.nobody),
        ("未登录", None),
    ]
    writers = [roles[0], roles[3], roles[-1]]
    clients = {label: _client(user) for label, user in roles}
    failures: list[str] = []
    tried: Counter[str] = Counter()

    def request(label: str, method: str, url: str, **kwargs: Any) -> None:
        response = getattr(clients[label], method)(url, **kwargs)
        tried[method] += 1
        if response.status_code >= 500:
            failures.append(f"{label} {method.upper()} {url} → {response.status_code}")

    values = list(sweeps.HOSTILE_VALUES)
    for i, route in enumerate(routes):
        value = values[i % len(values)]
        unknown = sweeps.url_for(route, sweeps.default_values(route, sweeps.UNKNOWN_ID))
        for label, _user in _pick(roles, i):
            request(label, "get", unknown, data=_hostile_query(route, value))
        for label, _user in _pick(writers, i):
            form = {**_hostile_query(route, value), "version": value}
            request(label, "post", unknown, data=form)
            if route.is_api and route.id_params:
                for method in ("put", "patch"):
                    request(
                        label,
                        method,
                        unknown,
                        data={"version": value},
                        content_type="application/json",
                    )
                request(label, "delete", unknown, QUERY_STRING=urlencode({"version": value}))
        if route.id_params and "uuid" not in route.params.values():
            for beyond in _pick([0, 2**63, 2**64], i):  # beyond any database id
                url = sweeps.url_for(route, sweeps.default_values(route, beyond))
                label = _pick(roles, i)[0][0]
                request(label, "get", url)
    print(
        f"\nhostile sweep: {len(routes)} routes, {sum(tried.values())} requests {dict(tried)}, "
        f"5xx: {len(failures)}"
    )
    assert not failures, "\n".join(failures[:50])


def _version(row: Any) -> int:
    return getattr(row, "version", 0)


def _snapshot(rows: dict[type, Any]) -> dict[str, Any]:
    out = {}
    for model, row in rows.items():
        fresh = model._default_manager.filter(pk=row.pk).values().first() or {}
        out[model._meta.label] = {k: v for k, v in fresh.items() if k != "last_login"}
    return out


def test_foreign_ids_read_as_nonexistent_on_every_route(cast, routes):
    other_supervisor = User.objects.create_user("c_sup", password="x")
    Membership.objects.create(
        user=other_supervisor, role=Role.COUNTY_SUPERVISOR, county=cast.other_county
    )
    id_routes = [
        r
        for r in routes
        if r.id_params and r.model is not None and not sweeps.public_by_township(r)
    ]
    rows = sweeps.foreign_rows(cast, {r.model for r in id_routes})
    skipped = sorted({r.model._meta.label for r in id_routes if r.model not in rows})
    id_routes = [r for r in id_routes if r.model in rows]
    before = _snapshot(rows)
    counts = (ChangeRecord.objects.count(), DomainEvent.objects.count())
    users = [
        ("乡镇管理员", cast.a_admin),
        ("乡镇经办人", cast.a_operator),
        ("只读用户", cast.a_viewer),
        ("调解员", cast.a1_mediator),
        ("外县督导", other_supervisor),
        ("未登录", None),
    ]
    clients = {label: _client(user) for label, user in users}
    leaks: list[str] = []
    errors: list[str] = []
    tried = 0
    for i, route in enumerate(id_routes):
        row = rows[route.model]
        unknown = uuid.uuid4() if isinstance(row.pk, uuid.UUID) else sweeps.UNKNOWN_ID
        urls = {
            "foreign": sweeps.url_for(route, sweeps.default_values(route, row.pk)),
            "unknown": sweeps.url_for(route, sweeps.default_values(route, unknown)),
        }
        methods = ("get", "put", "patch", "delete", "post") if route.is_api else ("get", "post")
        for label, _user in _pick(users, i):
            client = clients[label]
            for method in methods:
                answers = {}
                for which, url in urls.items():
                    if method in ("put", "patch"):
                        response = getattr(client, method)(
                            url, data={"version": _version(row)}, content_type="application/json"
                        )
                    elif method == "delete":
                        response = client.delete(url, QUERY_STRING=f"version={_version(row)}")
                    elif method == "post":
                        response = client.post(url, data={"version": _version(row)})
                    else:
                        response = client.get(url)
                    tried += 1
                    answers[which] = response.status_code
                    if response.status_code >= 500:
                        errors.append(f"{label} {method.upper()} {url} → {response.status_code}")
                if answers["foreign"] != answers["unknown"] or 200 <= answers["foreign"] < 300:
                    leaks.append(
                        f"{label} {method.upper()} {urls['foreign']}: 乙镇的记录 → "
                        f"{answers['foreign']}，不存在的记录 → {answers['unknown']}"
                    )
    assert _snapshot(rows) == before
    assert (ChangeRecord.objects.count(), DomainEvent.objects.count()) == counts
    print(
        f"\ncross-township sweep: {len(id_routes)} id routes over {len(rows)} models, "
        f"{tried} requests, 5xx: {len(errors)}, leaks: {len(leaks)}; "
        f"models without a ResourceSuite to make a row (skipped): {skipped}"
    )
    assert not errors, "\n".join(errors[:50])
    assert not leaks, "\n".join(leaks[:80])
