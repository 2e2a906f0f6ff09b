"""Property-based fuzzing of the API against its own OpenAPI document (issue 7, "keep it proven").

Schemathesis generates requests for every operation of the real schema (`/api/schema/`, built by
drf-spectacular) and sends them, authenticated by a token, as a township operator of 甲镇 and as
the county supervisor. The run fails on

- any 5xx;
- any response that the schema does not describe: an undocumented status code, another content
  type, or a body that does not validate against the documented schema (nullable fields, enums,
  required fields …);
- any cross-township leak: a successful response naming a township outside the user's scope
  anywhere in its body, or — for the operator — an operation on the id of a row of 乙镇 that
  answers anything but 403/404, or changes that row.

Bounded for CI: the operations are split into `SHARDS` groups and each run fuzzes one group
(chosen by the UTC date, so the whole API is covered every `SHARDS` days; set
`FAZHI_FUZZ_ROTATION=<n>` to replay a group) with `EXAMPLES` examples per operation and role.
`FAZHI_FUZZ_FULL=1` fuzzes every operation with `FULL_EXAMPLES` examples (the probe's figures,
printed with `-s`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from fazhi.core import testing_sweeps as sweeps

pytestmark = pytest.mark.django_db

FULL = os.environ.get("FAZHI_FUZZ_FULL", "") == "1"
SHARDS = 6
EXAMPLES = 3
FULL_EXAMPLES = 20
FOREIGN_EXAMPLES = 2
#: stop starting new operations after this many seconds (CI only; printed when it happens)
BUDGET_SECONDS = int(os.environ.get("FAZHI_FUZZ_SECONDS", "100"))

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def rotation() -> int:
    raw = os.environ.get("FAZHI_FUZZ_ROTATION", "")
    if raw.strip().isdigit():
        return int(raw) % SHARDS
    return dt.datetime.now(dt.UTC).date().toordinal() % SHARDS


def townships_named(data: Any, out: set[int]) -> set[int]:
    """Every township id a response body names (`"township": <id>` at any depth)."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "township" and isinstance(value, int):
                out.add(value)
            else:
                townships_named(value, out)
    elif isinstance(data, list):
        for value in data:
            townships_named(value, out)
    return out


def test_townships_named_finds_nested_townships():
    body = {"results": [{"township": 1, "x": {"township": 7}}, {"items": [{"township": 3}]}]}
    assert townships_named(body, set()) == {1, 3, 7}


@pytest.fixture(scope="module")
def raw_schema(django_db_setup, django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def _json(response: Any) -> Any:
    try:
        return json.loads(response.content)
    except ValueError:
        return None


def _snapshot(rows: dict[type, Any]) -> dict[str, Any]:
    return {
        model._meta.label: model._default_manager.filter(pk=row.pk).values().first()
        for model, row in rows.items()
    }


def _api_model(label: str) -> type | None:
    """The model of an API path (`/api/<app>/<slug>/{id}/…`)."""
    from fazhi.core import resources

    parts = label.split(" ", 1)[1].strip("/").split("/")
    if len(parts) < 3:
        return None
    for r in resources.all_resources():
        if r.app_label == parts[1] and r.slug == parts[2]:
            return r.model
    return None


@pytest.fixture
def connections_kept_open():
    """The fuzz calls the real WSGI handler, whose request_started/request_finished signals run
    `close_old_connections`: inside the test's transaction that closes the PostgreSQL connection
    (SQLite's in-memory test database ignores the close). Django's own test client disconnects the
    handler for the same reason; so does this."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_fuzzed_as_operator_and_supervisor(cast, raw_schema, connections_kept_open):
    for name in ("django.request", "axes", "axes.watch_login"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    setup_started = time.monotonic()
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw_schema)))
    app = get_wsgi_application()
    operations = sorted((o.ok() for o in schema.get_all_operations()), key=lambda o: o.label)
    assert len(operations) > 100, "the schema lost its operations"
    shard = rotation()
    chosen = operations if FULL else operations[shard::SHARDS]
    examples = FULL_EXAMPLES if FULL else EXAMPLES

    id_models = {_api_model(o.label) for o in chosen if "{id}" in o.label} - {None}
    foreign = sweeps.foreign_rows(cast, {m for m in id_models if m is not None}, strict=False)
    before = _snapshot(foreign)

    roles = [
        ("乡镇经办人", cast.a_operator, {cast.a.pk}),
        ("县级督导", cast.supervisor, {cast.a.pk, cast.b.pk}),
    ]
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    setup_seconds = started - setup_started
    done = 0
    stopped_early = False

    for index, operation in enumerate(chosen):
        if not FULL and time.monotonic() - started > BUDGET_SECONDS:
            stopped_early = True
            break
        model = _api_model(operation.label) if "{id}" in operation.label else None
        for role_index, (label, user, allowed) in enumerate(roles):
            token, _ = Token.objects.get_or_create(user=user)
            headers = {"Authorization": f"Token {token.key}"}

            def check(
                case: Any, *, foreign_id: bool, label=label, allowed=allowed, headers=headers
            ):
                response = case.call(app=app, headers=headers)
                statuses[response.status_code] += 1
                where = f"{label} {case.method} {case.formatted_path}"
                try:
                    case.validate_response(
                        response,
                        checks=CHECKS,
                        headers=headers,
                        transport_kwargs={"app": app, "headers": headers},
                    )
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected
                    failures.append(f"{where}: {str(exc)[:1200]}")
                if foreign_id and response.status_code not in (403, 404):
                    failures.append(
                        f"LEAK {where}: 乙镇记录的编号得到 {response.status_code}（应为 404）"
                    )
                if 200 <= response.status_code < 300:
                    outside = townships_named(_json(response), set()) - allowed
                    if outside:
                        failures.append(f"LEAK {where}: 响应含权限外乡镇 {sorted(outside)}")

            run_settings = settings(
                max_examples=examples,
                deadline=None,
                database=None,
                derandomize=True,
                suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.generate],
            )

            @run_settings
            @given(case=operation.as_strategy())
            def fuzz(case: Any) -> None:
                check(case, foreign_id=False)

            fuzz()
            row = foreign.get(model) if model is not None else None
            if row is not None and role_index == 0:  # 乙镇 is foreign to the operator only

                @settings(run_settings, max_examples=FOREIGN_EXAMPLES)
                @given(case=operation.as_strategy(path_parameters={"id": row.pk}))
                def fuzz_foreign(case: Any) -> None:
                    check(case, foreign_id=True)

                fuzz_foreign()
        done = index + 1

    assert _snapshot(foreign) == before, "乙镇的记录被甲镇的请求改变了"
    scope = "全部" if FULL else f"第{shard + 1}/{SHARDS}组"
    print(
        f"\nAPI fuzz ({scope}): {done} of {len(chosen)} operations "
        f"(schema: {len(operations)}), {sum(statuses.values())} requests, "
        f"5xx: {sum(n for s, n in statuses.items() if s >= 500)}, failures: {len(failures)}; "
        f"statuses {dict(sorted(statuses.items()))}; "
        f"{setup_seconds:.0f} s setting up, {time.monotonic() - started:.0f} s fuzzing"
        + (f"; stopped after {BUDGET_SECONDS} s" if stopped_early else "")
    )
    assert not failures, "\n\n".join(failures[:30])
