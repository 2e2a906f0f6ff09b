"""The list pages' filter dropdowns are cached per user and scope (core.dropdowns): another
township's user never gets them, and a write shows on the next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fazhi.core import dropdowns
from fazhi.core.choices import Role
from fazhi.core.models import DropdownVersion, Membership, Village
from fazhi.disputes.models import MediationCommittee

pytestmark = pytest.mark.django_db

LIST = "/disputes/disputes/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _options(response, name: str) -> list[str]:
    field = response.context["filterset"].form[name].field
    blank = ("", field.null_value)  # 全部, （空）
    return [str(label) for value, label in field.choices if value not in blank]


def _selects(response) -> str:
    """The filter form's HTML as the page wrote it."""
    html = response.content.decode()
    return html[html.index('<form class="filters"') : html.index("</form>")]


def test_another_townships_user_never_gets_the_cached_choices(cast):
    a_page = _client(cast.a_operator).get(LIST)
    assert _options(a_page, "village") == ["甲一村", "甲二村"]
    assert _options(a_page, "township") == ["甲镇"]
    # b's operator: the same page, right after, in the same process
    b_page = _client(cast.b_operator).get(LIST)
    assert _options(b_page, "village") == ["乙一村"]
    assert _options(b_page, "township") == ["乙镇"]
    assert "甲一村" not in _selects(b_page) and "甲镇" not in _selects(b_page)
    # and a's page again, from the cache: still only a's
    assert _options(_client(cast.a_operator).get(LIST), "village") == ["甲一村", "甲二村"]
    # a county supervisor: every township of the county
    supervisor = _client(cast.supervisor).get(LIST)
    assert sorted(_options(supervisor, "township")) == sorted(["甲镇", "乙镇"])


def test_choices_are_cached_and_the_cache_is_what_the_queryset_gives(cast):
    client = _client(cast.a_operator)
    first = client.get(LIST)  # builds the choices
    with CaptureQueriesContext(connection) as captured:
        second = client.get(LIST)
    sql = " ".join(q["sql"] for q in captured.captured_queries)
    assert f'FROM "{Village._meta.db_table}"' not in sql
    assert f'FROM "{MediationCommittee._meta.db_table}"' not in sql
    assert _selects(second) == _selects(first)
    # built without the cache: the same HTML
    dropdowns.forget()
    DropdownVersion.objects.all().delete()
    assert _selects(client.get(LIST)) == _selects(first)


def test_a_write_shows_on_the_next_request(cast):
    a = _client(cast.a_operator)
    assert _options(a.get(LIST), "village") == ["甲一村", "甲二村"]
    new = Village.objects.create(township=cast.a, name="甲三村")
    assert "甲三村" in _options(a.get(LIST), "village")
    new.name = "甲四村"
    new.save()
    assert "甲四村" in _options(a.get(LIST), "village")
    assert "甲三村" not in _options(a.get(LIST), "village")
    new.delete()
    assert _options(a.get(LIST), "village") == ["甲一村", "甲二村"]
    committee = MediationCommittee.objects.create(township=cast.a, name="甲镇调委会")
    assert _options(a.get(LIST), "committee") == ["甲镇调委会"]
    # b's page never shows a's new committee
    assert _options(_client(cast.b_operator).get(LIST), "committee") == []
    committee.delete()
    assert _options(a.get(LIST), "committee") == []


def test_a_write_in_another_worker_shows(cast):
    """Another worker's write reaches this process only through the stored version: the
    choices cached here are not told, yet the next page shows the new row."""
    a = _client(cast.a_operator)
    assert _options(a.get(LIST), "village") == ["甲一村", "甲二村"]
    before = dict(DropdownVersion.objects.values_list("label", "token"))
    cached = dict(dropdowns._CHOICES)
    Village.objects.create(township=cast.a, name="甲三村")
    after = dict(DropdownVersion.objects.values_list("label", "token"))
    assert after["core.Village"] != before["core.Village"]
    assert after["core.Township"] == before["core.Township"]
    dropdowns._CHOICES.clear()
    dropdowns._CHOICES.update(cached)  # this process kept what it had before the write
    assert "甲三村" in _options(a.get(LIST), "village")


def test_a_new_membership_is_a_new_key(cast):
    a = _client(cast.a_operator)
    assert _options(a.get(LIST), "township") == ["甲镇"]
    Membership.objects.create(user=cast.a_operator, role=Role.TOWNSHIP_OPERATOR, township=cast.b)
    page = a.get(LIST)
    assert sorted(_options(page, "township")) == sorted(["甲镇", "乙镇"])
    assert sorted(_options(page, "village")) == sorted(["甲一村", "甲二村", "乙一村"])


def test_a_filter_value_outside_the_scope_is_still_refused(cast):
    a = _client(cast.a_operator)
    a.get(LIST)
    page = a.get(LIST, {"village": cast.b1.pk})
    assert page.status_code == 200
    assert "village" in page.context["filterset"].form.errors


def test_only_a_shown_dropdown_reads_the_versions(cast, api):
    """An htmx refresh of the rows and an API list with a filter validate the filter values but
    show no choices: they read no version."""
    table = DropdownVersion._meta.db_table
    page = _client(cast.a_operator)
    page.get(LIST)
    with CaptureQueriesContext(connection) as rows_only:
        response = page.get(LIST, {"village": cast.a1.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    with CaptureQueriesContext(connection) as listed:
        response = api(cast.a_operator).get("/api/disputes/disputes/", {"village": cast.a1.pk})
    assert response.status_code == 200
    for captured in (rows_only, listed):
        assert not [q for q in captured.captured_queries if table in q["sql"]]
    with CaptureQueriesContext(connection) as full:
        page.get(LIST, {"village": cast.a1.pk})
    assert [q for q in full.captured_queries if table in q["sql"]]
