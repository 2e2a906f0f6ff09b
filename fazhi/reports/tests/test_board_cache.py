"""The county board caches each township's findings per township-year; any write through the
services to a record feeding a figure (or to the report) shows on the next request."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fazhi.core.audit import records_versions
from fazhi.core.services import create_object
from fazhi.disputes.models import MediatorTraining
from fazhi.indicators.services import declare
from fazhi.reports import annual

YEAR = 2025


@pytest.fixture
def checks(monkeypatch):
    """How many reports the checker read (each one is a render and a check)."""
    calls = []
    real = annual.check

    def counting(rendered):
        calls.append(rendered.report.township.name)
        return real(rendered)

    monkeypatch.setattr(annual, "check", counting)
    return calls


def blanks_on_board(client) -> int:
    page = client.get(reverse("reports:county_board") + f"?year={YEAR}")
    assert page.status_code == 200
    found = re.findall(r"未记录(\d+)", page.content.decode())
    assert len(found) == 1, found  # 甲镇 has a report, 乙镇 none
    return int(found[0])


@pytest.mark.django_db
def test_board_findings_are_cached_and_a_write_shows_at_once(cast, login, checks):
    annual.start_report(cast.a, YEAR, actor=cast.a_admin)
    board = login(cast.supervisor)
    first = blanks_on_board(board)
    assert first > 2 and checks == ["甲镇"]
    # nothing changed: served from the cache, nothing rendered or checked
    assert blanks_on_board(board) == first and checks == ["甲镇"]
    # another township's write does not touch 甲镇's entry
    declare(cast.b, "disputes.screened", YEAR, "nil", "全年未发生", actor=cast.b_operator)
    assert blanks_on_board(board) == first and checks == ["甲镇"]
    # a declaration (nil return) of 甲镇: one blank fewer on the next request
    declare(cast.a, "disputes.screened", YEAR, "nil", "全年未发生", actor=cast.a_admin)
    assert blanks_on_board(board) == first - 1 and checks == ["甲镇"] * 2
    # a record feeding a figure (调解员培训次数), written through the services
    create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(YEAR, 5, 1), "topic": "调解技巧"},
        actor=cast.a_admin,
    )
    assert blanks_on_board(board) == first - 2 and checks == ["甲镇"] * 3
    assert blanks_on_board(board) == first - 2 and checks == ["甲镇"] * 3


@pytest.mark.django_db
def test_records_versions_grow_with_every_write_of_the_township(cast):
    before = records_versions([cast.a.pk, cast.b.pk])
    create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(YEAR, 5, 1), "topic": "调解技巧"},
        actor=cast.a_admin,
    )
    after = records_versions([cast.a.pk, cast.b.pk])
    assert after[cast.a.pk] > before[cast.a.pk] and after[cast.b.pk] == before[cast.b.pk]
    assert records_versions([]) == {}
