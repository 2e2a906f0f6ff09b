"""core.background.Sender: statements sent on a second thread run in order on the same
connection and transaction, a statement of the first thread waits for them, and their errors
come back to the first thread; audit.batched and bulkinsert use it on PostgreSQL."""

from __future__ import annotations

import sys
import threading

import pytest
from django.db import DataError, ProgrammingError, connection, transaction

from fazhi.core import audit, background, bulkinsert
from fazhi.core.models import County, Township, Village

postgres_only = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="statements are sent aside on PostgreSQL only"
)


def _township() -> Township:
    county = County.objects.create(name="发送县", province="测试省")
    return Township.objects.create(county=county, name="发送镇")


def _send_sql(sender: background.Sender, sql: str, params: list, ran: list) -> None:
    cursor = connection.cursor()  # made on this thread, as the senders' users do
    db = cursor.db

    def run() -> None:
        ran.append(threading.get_ident())
        with db.wrap_database_errors, cursor:
            cursor.execute(sql, params)

    sender.send(run)


@pytest.mark.django_db
def test_a_sender_on_postgresql_only():
    if connection.vendor == "postgresql":
        with transaction.atomic():
            sender = background.Sender.open(connection)
            assert sender is not None
            sender.close()
    else:
        with transaction.atomic():
            assert background.Sender.open(connection) is None


@postgres_only
@pytest.mark.django_db
def test_a_read_of_this_thread_waits_for_the_rows_sent_before_it():
    ran: list[int] = []
    interval = sys.getswitchinterval()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE sent (n int) ON COMMIT DROP")
        sender = background.Sender.open(connection)
        assert sys.getswitchinterval() <= background.SWITCH_INTERVAL
        for i in range(20):  # each statement slow: sent, not waited for
            _send_sql(sender, "INSERT INTO sent SELECT %s FROM pg_sleep(0.01)", [i], ran)
        with connection.cursor() as cursor:  # waits for all twenty, sent in order
            cursor.execute("SELECT array_agg(n ORDER BY ctid) FROM sent")
            assert cursor.fetchone()[0] == list(range(20))
        sender.close()
    assert sys.getswitchinterval() == interval
    assert len(ran) == 20 and threading.get_ident() not in ran  # all on the second thread
    assert connection.execute_wrappers == []


@postgres_only
@pytest.mark.django_db
def test_an_error_of_a_sent_statement_is_raised_by_the_next_statement():
    with transaction.atomic():
        sender = background.Sender.open(connection)
        _send_sql(sender, "SELECT 1 / 0", [], [])
        with pytest.raises(DataError), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        sender.close()  # nothing left to report
        transaction.set_rollback(True)


@postgres_only
@pytest.mark.django_db
def test_close_reports_an_error_unless_another_is_on_its_way_out():
    with transaction.atomic():
        sender = background.Sender.open(connection)
        _send_sql(sender, "SELECT 1 / 0", [], [])
        with pytest.raises(DataError):
            sender.close()
        transaction.set_rollback(True)
    with transaction.atomic():
        sender = background.Sender.open(connection)
        _send_sql(sender, "SELECT 1 / 0", [], [])
        sender.close(raising=False)
        transaction.set_rollback(True)
    assert connection.execute_wrappers == []


@postgres_only
@pytest.mark.django_db
def test_batched_sends_the_inserts_and_a_small_write_leaves_no_gap():
    township = _township()

    def next_value() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence('core_village', 'id'))")
            return cursor.fetchone()[0]

    with transaction.atomic(), audit.batched():
        assert audit.sender() is not None
        first = [Village(township=township, name=f"甲{i}") for i in range(3)]
        bulkinsert.insert_objects(first)
        second = [Village(township=township, name=f"乙{i}") for i in range(5)]
        bulkinsert.insert_objects(second)
        ids = [v.pk for v in first + second]
        assert ids == sorted(ids) and len(set(ids)) == 8
        # the first two draws took exactly the rows wanted: the sequence goes on from the last
        assert next_value() == ids[-1] + 1
        assert Village.objects.filter(township=township).count() == 8
        third = [Village(township=township, name="丙")]
        bulkinsert.insert_objects(third)  # the pool empty: it draws as much as was drawn (8)
        assert next_value() == third[0].pk + 8
    assert audit.sender() is None
    assert connection.execute_wrappers == []
    assert sorted(Village.objects.filter(township=township).values_list("pk", flat=True)) == [
        *ids,
        third[0].pk,
    ]


@postgres_only
@pytest.mark.django_db
def test_an_error_inside_batched_leaves_no_statement_behind():
    township = _township()
    with pytest.raises(RuntimeError), transaction.atomic(), audit.batched():
        bulkinsert.insert_objects([Village(township=township, name="丁")])
        audit.record_event("test.sent", "已发送", township=township.pk, actor=None)
        audit.flush()
        raise RuntimeError("stop")
    assert connection.execute_wrappers == []
    assert not Village.objects.filter(township=township).exists()


@postgres_only
@pytest.mark.django_db
def test_copy_formats_on_this_thread_and_refuses_a_value_at_once():
    """`copy` with a sender formats the rows on the calling thread: a value no dumper takes
    is refused there, before anything is sent, and the rows sent after it arrive."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE sent (n int, t text) ON COMMIT DROP")
        sender = background.Sender.open(connection)
        with pytest.raises(ProgrammingError):
            background.copy("COPY sent (n, t) FROM STDIN", [(1, object())], sender)
        background.copy("COPY sent (n, t) FROM STDIN", [(1, "一\t二"), (2, None)], sender)
        with connection.cursor() as cursor:
            cursor.execute("SELECT n, t FROM sent ORDER BY n")
            assert cursor.fetchall() == [(1, "一\t二"), (2, None)]
        sender.close()
    assert connection.execute_wrappers == []


@postgres_only
@pytest.mark.django_db
def test_formatted_data_waiting_to_be_sent_is_bounded(monkeypatch):
    """Past MAX_WAITING_BYTES of formatted rows waiting, `copy` first waits for the oldest
    sends: the data does not pile up in memory behind a slow server."""
    monkeypatch.setattr(background, "MAX_WAITING_BYTES", 100)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE sent (n int, t text) ON COMMIT DROP")
        sender = background.Sender.open(connection)
        _send_sql(sender, "SELECT pg_sleep(0.2)", [], [])  # the server busy
        background.copy("COPY sent (n, t) FROM STDIN", [(1, "甲" * 20)], sender)  # 63 bytes
        assert not sender._sent[1].done()  # under the bound: not waited for (server busy)
        background.copy("COPY sent (n, t) FROM STDIN", [(2, "乙" * 20)], sender)
        assert sender._sent[1].done()  # 126 bytes would wait: the first copy was waited for
        sender.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT n FROM sent ORDER BY n")
            assert cursor.fetchall() == [(1,), (2,)]
