"""The county board caches each township's findings per township-year; any write through the
services to a record feeding a figure (or to the report) shows on the next request."""

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse

from fazhi.core.audit import records_versions
from fazhi.core.services import create_object
from fazhi.disputes.models import MediatorTraining
from fazhi.indicators.services import declare
from fazhi.reports import annual

YEAR = 2025


class _Undo(Exception):
    """Rolls the transaction back."""


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


@pytest.mark.django_db
def test_findings_cached_inside_a_rolled_back_write_go_with_it(cast, login, checks):
    """A number read inside a transaction that is then rolled back can name other content
    later (SQLite gives the rolled-back ids back; PostgreSQL's marks roll back): the findings
    cached under it roll back too (the database cache, in the same database)."""
    annual.start_report(cast.a, YEAR, actor=cast.a_admin)
    board = login(cast.supervisor)
    first = blanks_on_board(board)
    before = records_versions([cast.a.pk])
    with pytest.raises(_Undo), transaction.atomic():
        # a training of the year: one blank fewer, seen (and cached) inside the transaction
        create_object(
            MediatorTraining,
            {"township": cast.a, "held_on": dt.date(YEAR, 5, 1), "topic": "调解技巧"},
            actor=cast.a_admin,
        )
        inside = records_versions([cast.a.pk])
        assert blanks_on_board(board) == first - 1 and checks == ["甲镇"] * 2
        raise _Undo
    assert records_versions([cast.a.pk]) == before
    assert blanks_on_board(board) == first and checks == ["甲镇"] * 2
    # the same writes of another year (no figure of YEAR): the same number as inside the
    # rolled-back transaction, other content — and the findings of the committed state
    create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(YEAR - 1, 5, 1), "topic": "调解技巧"},
        actor=cast.a_admin,
    )
    assert records_versions([cast.a.pk]) == inside
    assert blanks_on_board(board) == first and checks == ["甲镇"] * 3
