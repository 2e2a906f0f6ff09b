"""The API detail's compiled paths answer what the ORM's answer: the token read with the user's
memberships in one query, the record of a detail by SQL compiled once per scope grant, the
serializer's fields copied from a class-wide build. Tenancy first: another township's record
does not exist, whatever a user of its own township asked before in the same process."""

from __future__ import annotations

import datetime as dt
from inspect import isroutine

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import exceptions, serializers
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from fazhi.core import scope
from fazhi.core.api import generic
from fazhi.core.api.auth import ExpiringTokenAuthentication
from fazhi.core.api.generic import ResourceViewSet, ScopedSerializer, serializer_for
from fazhi.core.api.prepared import CompiledGet
from fazhi.core.choices import Role
from fazhi.core.models import Membership
from fazhi.core.resources import all_resources
from fazhi.disputes.tests.helpers import party, register

pytestmark = pytest.mark.django_db

USERS = (
    "admin",
    "supervisor",
    "a_admin",
    "a_operator",
    "a_viewer",
    "a_officer",
    "a1_mediator",
    "a1_grid",
    "b_operator",
)


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def _orm_only(monkeypatch) -> None:
    """Every detail found the ORM's way (DRF's get_object), as before the compiled path."""
    monkeypatch.setattr(ResourceViewSet, "_compiled_retrieve", lambda self: None)


# --- the token, its user and the memberships: one query -------------------------------------


@pytest.mark.parametrize("name", USERS)
def test_token_read_gives_what_drf_and_the_scope_gate_read(cast, name):
    user = getattr(cast, name)
    key = Token.objects.create(user=user).key
    mine, token = ExpiringTokenAuthentication().authenticate_credentials(key)
    theirs, their_token = TokenAuthentication().authenticate_credentials(key)
    assert token.pk == their_token.pk and token.created == their_token.created
    assert token.user is mine and mine.auth_token is token
    fields = [f.attname for f in type(mine)._meta.concrete_fields]
    assert [getattr(mine, f) for f in fields] == [getattr(theirs, f) for f in fields]
    assert mine._state.db == theirs._state.db and not mine._state.adding
    # the memberships the token read left on the user are what the gate reads itself
    primed = scope.memberships(mine)
    assert primed == scope.memberships(theirs)
    for action in ("view", "add", "change", "supervise", "view_pii", "manage"):
        assert scope.grant(mine, action) == scope.grant(theirs, action)


def test_token_read_is_one_query_and_the_gate_asks_nothing_more(cast):
    key = Token.objects.create(user=cast.supervisor).key  # a county: its townships too
    with CaptureQueriesContext(connection) as captured:
        user, _ = ExpiringTokenAuthentication().authenticate_credentials(key)
        scope.grant(user, "view")
    assert len(captured.captured_queries) == 2  # the token row(s), the county's townships
    key = Token.objects.create(user=cast.a_operator).key
    with CaptureQueriesContext(connection) as captured:
        user, _ = ExpiringTokenAuthentication().authenticate_credentials(key)
        assert scope.has_any(user, "view")
    assert len(captured.captured_queries) == 1


def test_a_user_of_several_memberships_and_of_none(cast):
    Membership.objects.create(user=cast.a_viewer, role=Role.VIEWER, township=cast.b)
    key = Token.objects.create(user=cast.a_viewer).key
    user, _ = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert scope.grant(user, "view").townships == {cast.a.pk, cast.b.pk}
    key = Token.objects.create(user=cast.nobody).key
    user, _ = ExpiringTokenAuthentication().authenticate_credentials(key)
    assert scope.memberships(user) == () and scope.grant(user, "view").empty
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/disputes/disputes/").status_code == 403


def test_refusals_are_drfs(cast, settings):
    def refusal(auth, key):
        with pytest.raises(exceptions.AuthenticationFailed) as caught:
            auth.authenticate_credentials(key)
        return str(caught.value.detail)

    assert refusal(ExpiringTokenAuthentication(), "nope") == refusal(TokenAuthentication(), "nope")
    key = Token.objects.create(user=cast.a_viewer).key
    cast.a_viewer.is_active = False
    cast.a_viewer.save()
    assert refusal(ExpiringTokenAuthentication(), key) == refusal(TokenAuthentication(), key)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.get("/api/disputes/disputes/")
    assert response.status_code == 401
    # expired: refused in Chinese and deleted
    settings.FAZHI_TOKEN_TTL_HOURS = 1
    key = Token.objects.create(user=cast.a_operator).key
    Token.objects.filter(key=key).update(created=timezone.now() - dt.timedelta(hours=2))
    assert "过期" in refusal(ExpiringTokenAuthentication(), key)
    assert not Token.objects.filter(key=key).exists()


# --- the detail's record by compiled SQL ---------------------------------------------------


def _records(cast):
    return {
        "a1": register(cast, parties=[party("张三", phone="13800000001")]),
        "a2": register(
            cast, village=cast.a2, parties=[party("王五", id_number="110101199003071233")]
        ),
        "b": register(cast, township=cast.b, actor=cast.b_operator),
    }


def _answers(cast, records, urls):
    out = {}
    for name in USERS:
        client = _token_client(getattr(cast, name))
        for url in urls:
            response = client.get(url)
            out[name, url] = (response.status_code, response.json())
        Token.objects.filter(user=getattr(cast, name)).delete()
    return out


def test_every_user_gets_what_the_orm_gives(cast, monkeypatch):
    """Every role, records in its village, its township's other village, another township;
    ids that are no number or beyond any row: status and body as DRF's get_object gives them."""
    records = _records(cast)
    urls = [f"/api/disputes/disputes/{d.pk}/" for d in records.values()]
    urls += [
        f"/api/disputes/dispute-parties/{link.pk}/"
        for d in records.values()
        for link in d.dispute_parties.all()
    ]
    urls += [
        f"/api/parties/parties/{link.party_id}/" for link in records["a2"].dispute_parties.all()
    ]
    urls += [f"/api/core/villages/{v.pk}/" for v in (cast.a1, cast.a2, cast.b1)]
    urls += [f"/api/core/townships/{t.pk}/" for t in (cast.a, cast.b, cast.c)]
    urls += [
        "/api/disputes/disputes/abc/",
        "/api/disputes/disputes/0/",
        "/api/disputes/disputes/-5/",
        "/api/disputes/disputes/99999999999999999999/",
        "/api/disputes/disputes/1e3/",
        "/api/disputes/committees/0/",
        f"/api/core/departments/{cast.justice_a.pk}/",
    ]
    used = []
    real = CompiledGet.get
    monkeypatch.setattr(
        CompiledGet,
        "get",
        lambda self, value, using: used.append(value) or real(self, value, using),
    )
    compiled = _answers(cast, records, urls)
    twice = _answers(cast, records, urls)  # every key compiled now: the cached SQL answers
    assert len(used) > len(USERS)  # the compiled path answered
    _orm_only(monkeypatch)
    orm = _answers(cast, records, urls)
    assert compiled == orm
    assert twice == orm
    # and the answers are the tenancy the tests of every module expect
    a1 = f"/api/disputes/disputes/{records['a1'].pk}/"
    b = f"/api/disputes/disputes/{records['b'].pk}/"
    assert orm["a_operator", a1][0] == 200 and orm["a_operator", b][0] == 404
    assert orm["b_operator", a1][0] == 404 and orm["b_operator", b][0] == 200
    assert orm["supervisor", a1][0] == 200 and orm["admin", b][0] == 200


def test_the_compiled_sql_is_the_orms(cast, monkeypatch):
    records = _records(cast)
    url = f"/api/disputes/disputes/{records['a2'].pk}/"
    statements = {}
    for mode in ("compiled", "orm"):
        if mode == "orm":
            _orm_only(monkeypatch)
        for name in ("a_operator", "a1_mediator", "supervisor", "admin", "b_operator"):
            client = _token_client(getattr(cast, name))
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            statements[mode, name] = [
                q["sql"] for q in captured.captured_queries if "authtoken_token" not in q["sql"]
            ]
            Token.objects.filter(user=getattr(cast, name)).delete()
    for name in ("a_operator", "a1_mediator", "supervisor", "admin", "b_operator"):
        assert len(statements["compiled", name]) >= 1
        assert statements["compiled", name] == statements["orm", name]


def test_a_warm_cache_never_crosses_townships(cast):
    """A township's user compiles and uses the detail's SQL; another township's user, asked
    right after in the same process, does not find the record — until given that township."""
    records = _records(cast)
    url = f"/api/disputes/disputes/{records['a1'].pk}/"
    a = _token_client(cast.a_operator)
    assert a.get(url).status_code == 200
    assert a.get(url).status_code == 200
    b = _token_client(cast.b_operator)
    assert b.get(url).status_code == 404
    membership = Membership.objects.create(
        user=cast.b_operator, role=Role.TOWNSHIP_OPERATOR, township=cast.a
    )
    assert b.get(url).status_code == 200  # a new grant: a new key
    membership.delete()
    assert b.get(url).status_code == 404
    # a village's mediator: the other village of the same township is not in scope
    mediator = _token_client(cast.a1_mediator)
    assert mediator.get(url).status_code == 200
    assert mediator.get(f"/api/disputes/disputes/{records['a2'].pk}/").status_code == 404


def test_the_detail_of_a_dispute_is_three_queries(cast):
    """The token with its user and memberships, the dispute, its party links."""
    dispute = register(cast)
    client = _token_client(cast.a_operator)
    url = f"/api/disputes/disputes/{dispute.pk}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    assert len(captured.captured_queries) == 3, [q["sql"] for q in captured.captured_queries]


def test_views_that_find_records_otherwise_keep_the_orm():
    class Custom(ResourceViewSet):
        def get_queryset(self):
            return super().get_queryset()

    resource = next(r for r in all_resources() if r.slug == "disputes")
    assert generic._plain_retrieve(type("V", (ResourceViewSet,), {"resource": resource}), resource)
    assert not generic._plain_retrieve(Custom, resource)
    party = next(r for r in all_resources() if r.app_label == "parties" and r.slug == "parties")
    assert not generic._plain_retrieve(ResourceViewSet, party)  # its own queryset (masking)


# --- the serializer's fields ----------------------------------------------------------------


def _norm(value, depth=0):
    """A comparable description of a field's attribute (no memory addresses)."""
    from django.db.models import QuerySet
    from django.utils.functional import Promise
    from rest_framework.utils.formatting import lazy_format

    if depth > 4:
        return "…"
    if isinstance(value, Promise | lazy_format):
        return str(value)
    if isinstance(value, QuerySet):
        return ("queryset", value.model, str(value.query))
    if isinstance(value, list | tuple):
        return [_norm(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v, depth + 1) for k, v in value.items()}
    if isinstance(value, serializers.Field):
        return (type(value), _described(value, depth + 1))
    if hasattr(value, "__dict__") and not isinstance(value, type) and not isroutine(value):
        return (type(value), _norm(vars(value), depth + 1))
    return repr(value)


def _described(field, depth=0) -> dict:
    return {
        k: _norm(v, depth + 1)
        for k, v in field.__dict__.items()
        if k not in ("parent", "_creation_counter", "root")
    }


@pytest.mark.parametrize("resource", all_resources(), ids=lambda r: f"{r.app_label}.{r.slug}")
def test_copied_fields_are_the_fields_drf_builds(resource):
    """Every resource's serializer: the copies are what ModelSerializer builds (with the
    read-only fields' null and blank as stored), each serializer's its own."""
    cls = serializer_for(resource)
    assert issubclass(cls, ScopedSerializer), cls  # every resource's serializer is one
    model = cls.Meta.model

    class Theirs(cls):
        def get_fields(self):
            fields = serializers.ModelSerializer.get_fields(self)
            for name, field in fields.items():
                if field.read_only:
                    generic._as_stored(field, model, name)
            return fields

    one, two, theirs = cls(), cls(), Theirs()
    assert list(one.fields) == list(theirs.fields)
    for name, field in one.fields.items():
        other, built = two.fields[name], theirs.fields[name]
        assert type(field) is type(built)
        assert field is not other and field.parent is one and other.parent is two
        assert _described(field) == _described(built), name
        for attr, value in field.__dict__.items():
            if type(value) in (list, dict) and value:
                assert value is not other.__dict__.get(attr), (name, attr)
