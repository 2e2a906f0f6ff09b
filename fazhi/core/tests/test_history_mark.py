"""The history mark (core.HistoryMark): the database adds to it on every insert into the change
records and the domain events, whatever writes them; `records_versions` reads it in one query
and folds a township's rows when they pile up (PostgreSQL)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from fazhi.core import audit
from fazhi.core.models import ChangeRecord, DomainEvent, HistoryMark
from fazhi.core.services import create_object
from fazhi.disputes.models import MediatorTraining


def history(township_id: int) -> int:
    return (
        ChangeRecord.objects.filter(township_id=township_id).count()
        + DomainEvent.objects.filter(township_id=township_id).count()
    )


def marked(township_id: int) -> int:
    return HistoryMark.objects.filter(township_id=township_id).aggregate(s=Sum("added"))["s"] or 0


@pytest.mark.django_db
def test_every_insert_adds_to_the_mark_of_its_township(cast):
    a, b = cast.a.pk, cast.b.pk
    start = audit.records_versions([a, b])
    assert start == {a: marked(a), b: marked(b)} == {a: history(a), b: history(b)}
    # a write through the services (row by row: ORM saves)
    create_object(
        MediatorTraining,
        {"township": cast.a, "held_on": dt.date(2025, 5, 1), "topic": "调解技巧"},
        actor=cast.a_admin,
    )
    # the bulk path (COPY on PostgreSQL, executemany on SQLite), two townships at once
    with audit.batched():
        for k in range(5):
            audit.record_event(
                "test.bulk", f"事件{k}", township=cast.a if k % 2 else cast.b, actor=None
            )
    # a row of no township counts for none
    audit.record_event("test.none", "无乡镇", township=None, actor=None)
    now = audit.records_versions([a, b])
    assert now == {a: history(a), b: history(b)}
    assert now[a] >= start[a] + 3 and now[b] == start[b] + 3


@pytest.mark.django_db
def test_records_versions_is_one_query_for_any_number_of_townships(cast):
    for t in (cast.a, cast.b):
        audit.record_event("test.one", "事件", township=t, actor=None)
    with CaptureQueriesContext(connection) as one:
        audit.records_versions([cast.a.pk])
    with CaptureQueriesContext(connection) as two:
        audit.records_versions([cast.a.pk, cast.b.pk, cast.c.pk])
    assert len(one) == len(two) == 1


@pytest.mark.django_db
def test_piled_up_marks_are_folded_into_one_of_the_same_sum(cast):
    a = cast.a.pk
    for k in range(audit.FOLD + 8):
        audit.record_event("test.pile", f"事件{k}", township=cast.a, actor=None)
    piled = HistoryMark.objects.filter(township_id=a).count()
    # PostgreSQL: one row per insert statement (no writer waits for another); SQLite: one row
    assert piled > audit.FOLD if connection.vendor == "postgresql" else piled == 1
    before = audit.records_versions([a])
    assert before[a] == history(a)
    assert HistoryMark.objects.filter(township_id=a).count() == 1  # folded by the read
    assert audit.records_versions([a]) == before
    audit.record_event("test.pile", "再一个", township=cast.a, actor=None)
    assert audit.records_versions([a]) == {a: before[a] + 1}
