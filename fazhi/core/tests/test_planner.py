"""core.planner.Statistics: a long import's tables are analyzed inside its transaction as it grows
them (PostgreSQL), without waiting for another session's ANALYZE or VACUUM; nothing on SQLite."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from fazhi.core import io as core_io
from fazhi.core import planner
from fazhi.core.models import County, Township, Village


def _reltuples(table: str) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        return cursor.fetchone()[0]


def _villages(count: int) -> Township:
    county = County.objects.create(name="统计县", province="测试省")
    township = Township.objects.create(county=county, name="统计镇")
    Village.objects.bulk_create(Village(township=township, name=f"村{i}") for i in range(count))
    return township


@pytest.mark.django_db
def test_the_tables_are_analyzed_once_the_import_has_written_first_rows(monkeypatch):
    monkeypatch.setattr(planner, "FIRST", 300)
    stats = planner.Statistics([Village])
    _villages(350)
    with CaptureQueriesContext(connection) as early:
        stats.grew(200)  # below FIRST: nothing
    assert early.captured_queries == []
    with CaptureQueriesContext(connection) as due:
        stats.grew(150)
    analyzed = [q["sql"] for q in due.captured_queries if q["sql"].startswith("ANALYZE")]
    if connection.vendor != "postgresql":
        assert due.captured_queries == []  # SQLite: nothing to keep current
        return
    assert analyzed == ['ANALYZE "core_village"']
    with connection.cursor() as cursor:  # the import's own lock_timeout is back
        cursor.execute("SELECT current_setting('lock_timeout')")
        assert cursor.fetchone()[0] == "0"
    # the transaction's own rows are counted, and the planner of this transaction sees them
    assert _reltuples("core_village") == pytest.approx(350, abs=5)
    with CaptureQueriesContext(connection) as again:
        stats.grew(100)  # the next pass waits for the import to write as much again
    assert again.captured_queries == []


@pytest.mark.django_db(transaction=True)
def test_a_table_another_session_holds_is_skipped_without_waiting():
    """ANALYZE's lock is held to the end of a transaction: a second import (here, a session
    holding the same lock) must not wait for the first to commit; it plans as before, and its
    transaction and lock_timeout are as they were."""
    if connection.vendor != "postgresql":
        pytest.skip("需要 PostgreSQL：SQLite 不做统计信息刷新，也无第二个会话持有的表锁")
    _villages(10)
    holding, release, ended = threading.Event(), threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("LOCK TABLE core_village IN SHARE UPDATE EXCLUSIVE MODE")
                holding.set()
                release.wait(30)
        finally:
            ended.set()
            connections.close_all()

    other = threading.Thread(target=hold)
    other.start()
    try:
        assert holding.wait(30)
        # inside an import's block, which turns the services' savepoints off
        with core_io.bulk_write():
            stats = planner.Statistics([Village])
            stats.grew(planner.FIRST)  # times out on the lock after LOCK_TIMEOUT
            assert not ended.is_set()  # it did not wait for the other session to end
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('lock_timeout')")
                assert cursor.fetchone()[0] == "0"
            assert Village.objects.count() == 10  # the transaction is usable
    finally:
        release.set()
        other.join(30)
