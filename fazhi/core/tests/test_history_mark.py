"""The history marks: `records_versions` gives each township a number that grows with every
committed write of it, in one query. PostgreSQL: the database adds to the township's mark
(core.HistoryMark) on every insert into the change records and the domain events, whatever
writes them, and the reader folds a township's rows when they pile up. SQLite (migration core
0011): the township's highest ids of both tables, read through an index, no trigger."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.models import Max, Sum
from django.test.utils import CaptureQueriesContext

from fazhi.core import audit
from fazhi.core.migrations import _history_mark
from fazhi.core.models import ChangeRecord, DomainEvent, HistoryMark
from fazhi.core.services import create_object
from fazhi.disputes.models import MediatorTraining

sqlite_only = pytest.mark.skipif("connection.vendor != 'sqlite'", reason="SQLite's marks")
postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PG's marks")


class _Undo(Exception):
    """Rolls the transaction back."""


def history(township_id: int) -> int:
    return (
        ChangeRecord.objects.filter(township_id=township_id).count()
        + DomainEvent.objects.filter(township_id=township_id).count()
    )


def marked(township_id: int) -> int:
    return HistoryMark.objects.filter(township_id=township_id).aggregate(s=Sum("added"))["s"] or 0


def highest(township_id: int) -> int:
    return sum(
        model.objects.filter(township_id=township_id).aggregate(m=Max("id"))["m"] or 0
        for model in (ChangeRecord, DomainEvent)
    )


def expected(township_id: int) -> int:
    """What `records_versions` reads, computed the long way."""
    if connection.vendor == "sqlite":
        assert marked(township_id) == 0  # no mark rows on SQLite
        return highest(township_id)
    assert marked(township_id) == history(township_id)
    return history(township_id)


def train(township, actor, year: int = 2025) -> None:
    create_object(
        MediatorTraining,
        {"township": township, "held_on": dt.date(year, 5, 1), "topic": "调解技巧"},
        actor=actor,
    )


@pytest.mark.django_db
def test_every_insert_grows_the_number_of_its_township_only(cast):
    a, b, c = cast.a.pk, cast.b.pk, cast.c.pk
    start = audit.records_versions([a, b, c])
    assert start == {a: expected(a), b: expected(b), c: expected(c)}
    # a write through the services (row by row: ORM saves)
    train(cast.a, cast.a_admin)
    one = audit.records_versions([a, b, c])
    assert one[a] > start[a] and one[b] == start[b] and one[c] == start[c]
    # the bulk path (COPY on PostgreSQL, executemany on SQLite), two townships at once
    with audit.batched():
        for k in range(5):
            audit.record_event(
                "test.bulk", f"事件{k}", township=cast.a if k % 2 else cast.b, actor=None
            )
    two = audit.records_versions([a, b, c])
    assert two[a] > one[a] and two[b] >= one[b] + 3 and two[c] == start[c]
    # a row of no township counts for none
    audit.record_event("test.none", "无乡镇", township=None, actor=None)
    now = audit.records_versions([a, b, c])
    assert now == two == {a: expected(a), b: expected(b), c: expected(c)}
    # a township with no history at all, or no such township: 0
    assert audit.records_versions([c, 10**9]) == {c: start[c], 10**9: 0}


@pytest.mark.django_db
def test_a_rolled_back_write_leaves_the_number_where_it_was(cast):
    a, b = cast.a.pk, cast.b.pk
    before = audit.records_versions([a, b])
    with pytest.raises(_Undo), transaction.atomic():
        train(cast.a, cast.a_admin)
        inside = audit.records_versions([a, b])
        assert inside[a] > before[a] and inside[b] == before[b]
        raise _Undo
    # the rows are gone and so is their growth: the number names the state it named before
    assert audit.records_versions([a, b]) == before
    train(cast.a, cast.a_admin, year=2024)
    after = audit.records_versions([a, b])
    assert after[a] > before[a] and after[b] == before[b] and after[a] == expected(a)


@pytest.mark.django_db
def test_records_versions_is_one_query_for_any_number_of_townships(cast):
    for t in (cast.a, cast.b):
        audit.record_event("test.one", "事件", township=t, actor=None)
    with CaptureQueriesContext(connection) as one:
        audit.records_versions([cast.a.pk])
    with CaptureQueriesContext(connection) as two:
        audit.records_versions([cast.a.pk, cast.b.pk, cast.c.pk])
    assert len(one) == len(two) == 1
    with CaptureQueriesContext(connection) as none:
        assert audit.records_versions([]) == {}
    assert len(none) == 0


@postgres_only
@pytest.mark.django_db
def test_piled_up_marks_are_folded_into_one_of_the_same_sum(cast):
    a = cast.a.pk
    for k in range(audit.FOLD + 8):
        audit.record_event("test.pile", f"事件{k}", township=cast.a, actor=None)
    # one row per insert statement (no writer waits for another)
    assert HistoryMark.objects.filter(township_id=a).count() > audit.FOLD
    before = audit.records_versions([a])
    assert before[a] == history(a)
    assert HistoryMark.objects.filter(township_id=a).count() == 1  # folded by the read
    assert audit.records_versions([a]) == before
    audit.record_event("test.pile", "再一个", township=cast.a, actor=None)
    assert audit.records_versions([a]) == {a: before[a] + 1}


def sqlite_schema(kind: str, table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = %s AND tbl_name = %s", [kind, table]
        )
        return {name for (name,) in cursor.fetchall()}


@sqlite_only
@pytest.mark.django_db
def test_sqlite_reads_the_highest_ids_through_an_index_and_inserts_without_a_trigger(cast):
    for table in _history_mark.HISTORY:
        assert sqlite_schema("trigger", table) == set()
        assert _history_mark.SQLITE_INDEX_NAME.format(table=table) in sqlite_schema("index", table)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + audit._HIGHEST_IDS, ["[1, 2, 3]"])
        plan = [row[-1] for row in cursor.fetchall()]
    for table in _history_mark.HISTORY:
        index = _history_mark.SQLITE_INDEX_NAME.format(table=table)
        # one SEARCH of the township's entries for MAX(id), not a SCAN of them
        assert any(f"USING COVERING INDEX {index} (township_id=?)" in step for step in plan), plan
    assert not any(step.startswith("SCAN") and " core_" in step for step in plan), plan
    audit.record_event("test.mark", "事件", township=cast.a, actor=None)
    assert not HistoryMark.objects.exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_sqlite_migration_0011_reverses_without_the_number_going_back(cast):
    from django.db.migrations.executor import MigrationExecutor

    a, b = cast.a.pk, cast.b.pk
    train(cast.a, cast.a_admin)
    audit.record_event("test.b", "事件", township=cast.b, actor=None)
    current = audit.records_versions([a, b])
    executor = MigrationExecutor(connection)
    executor.migrate([("core", "0010_history_keys_unchecked")])
    try:
        # the triggers are back, each mark starting from the township's number under 0011
        for table in _history_mark.HISTORY:
            assert sqlite_schema("trigger", table) == {f"{table}_mark"}
            assert _history_mark.SQLITE_INDEX_NAME.format(table=table) not in sqlite_schema(
                "index", table
            )
        assert {a: marked(a), b: marked(b)} == current
        train(cast.a, cast.a_admin)
        assert marked(a) > current[a] and marked(b) == current[b]
        old = {a: marked(a), b: marked(b)}
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes("core"))
    assert not HistoryMark.objects.exists()
    assert sqlite_schema("trigger", "core_changerecord") == set()
    now = audit.records_versions([a, b])
    assert now[a] >= old[a] and now[b] >= old[b] and now[a] > current[a]
