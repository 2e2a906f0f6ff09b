"""Statements nobody reads the result of, sent on a second thread while this one goes on.

A bulk writer (a ledger import, the demo loader) alternates: the client builds a batch (its
CPU), then the server stores it (the server's CPU) while the client waits for the statement's
end, then the server waits for the next batch. Measured at 20,000 petition rows on PostgreSQL:
wall 31.66 s = client 20.06 s + server 12.58 s, the two barely overlapping
(docs/performance.md). A `Sender` lets the COPY statements whose results nobody reads (the
history's, `audit.flush`; the business rows', `bulkinsert.insert_objects` with ids drawn
ahead) run on the same connection from a second thread: the first thread formats the rows and
the second sends them, and while the server stores them (the second thread waiting on the
socket, the GIL released), the first thread builds the next rows.

Order and transactions are the connection's as before: one statement at a time, in the order
they were made. Every statement this thread sends through Django's cursors first waits for the
ones sent before it (an execute wrapper: a read sees every row written before it), and `close`
waits for all before the block ends (before its transaction commits or rolls back). An error
of a sent statement is raised in this thread by the next statement or by `close`, as
`cursor.execute` would have raised it (the database error as Django wraps it); the
transaction is then aborted, as it would have been.

Interface (`audit.batched` uses it on PostgreSQL):

    sender = Sender.open(connection)          # None where statements are not sent aside
    sender.send(function, *args)              # function(*args) on the second thread, in order
    sender.wait()                             # wait for what was sent; raise its first error
    sender.close()                            # wait, stop the thread, remove the wrapper
    copy(sql, rows, sender)                   # a COPY … FROM STDIN, sent (or run: sender None)

Only statements made through Django's cursor wrappers wait (the ORM, `cursor.execute`, the
bulk writers' COPY through `_execute_with_wrappers`); nothing else may use the connection
while a `Sender` is open.
"""

from __future__ import annotations

import collections
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from django.db import connection
from psycopg._copy_base import format_row_text
from psycopg.adapt import Transformer

#: the interpreter's switch interval while a sender is open (the default is 5 ms): the second
#: thread, woken by the server, takes the GIL from the busy first thread within this, not 5 ms
#: later (measured at 5,000 petition rows: the first thread's waits 1.45 s → 0.64 s at 0.5 ms;
#: with the COPY data formatted on the first thread, 20,000 rows, two runs of each ledger
#: alternated: petition ×4.3 / ×4.4 at 0.5 ms → ×3.9 / ×4.0 at 0.1 ms, dispute ×4.1 / ×4.7 →
#: ×4.3 / ×3.6; docs/performance.md, "seventh session")
SWITCH_INTERVAL = 0.0001

#: the bytes of formatted COPY data that may wait to be sent (`copy`): past it, the first
#: thread waits for the oldest statements to be sent (a slow server does not make the data
#: pile up in memory; a ledger batch's statements are ~1.5–2.5 MiB)
MAX_WAITING_BYTES = 4 << 20


class Sender:
    """Runs functions that use the connection `db` on one second thread, in order."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self._owner = threading.get_ident()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="fazhi-sender")
        self._sent: list[Future] = []
        self._sizes: collections.deque[tuple[Future, int]] = collections.deque()
        #: what senders' users keep for the block (`bulkinsert`: ids drawn ahead, per table)
        self.pools: dict[str, Any] = {}
        self._wrapper = db.execute_wrapper(self._before_statement)
        self._wrapper.__enter__()
        self._interval = sys.getswitchinterval()
        sys.setswitchinterval(min(self._interval, SWITCH_INTERVAL))

    @classmethod
    def open(cls, db: Any) -> Sender | None:
        """A sender for `db` (a Django connection), or None: only PostgreSQL, whose driver
        waits for the server without the GIL, and only inside a transaction (a statement sent
        aside must not commit on its own)."""
        if db.vendor != "postgresql" or not db.in_atomic_block:
            return None
        return cls(db)

    def send(self, function: Callable[..., Any], *args: Any, size: int = 0) -> None:
        """Call `function(*args)` on the second thread after what was sent before. `size`: the
        bytes it holds until it has run; while more than MAX_WAITING_BYTES would wait, this
        first waits for the oldest sends to run (their errors are raised later, as ever)."""
        sizes = self._sizes
        while sizes and (
            sizes[0][0].done() or sum(n for _f, n in sizes) + size > MAX_WAITING_BYTES
        ):
            sizes.popleft()[0].exception()  # waits for it to run; raised by `wait`
        future = self._pool.submit(function, *args)
        self._sent.append(future)
        if size:
            sizes.append((future, size))

    def wait(self) -> None:
        """Wait for everything sent; raise the first error among them."""
        sent, self._sent = self._sent, []
        self._sizes.clear()
        error: BaseException | None = None
        for future in sent:
            raised = future.exception()
            if raised is not None and error is None:
                error = raised
        if error is not None:
            raise error

    def close(self, *, raising: bool = True) -> None:
        """Wait for everything sent and stop; `raising=False` when another error is already
        on its way out (the first one is the one to report)."""
        try:
            self.wait()
        except Exception:
            if raising:
                raise  # otherwise the error already leaving the block is the one reported
        finally:
            self._pool.shutdown(wait=True)
            self._wrapper.__exit__(None, None, None)
            sys.setswitchinterval(self._interval)

    def _before_statement(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        if self._sent and threading.get_ident() == self._owner:
            self.wait()
        return execute(sql, params, many, context)


def _copy_text(cursor: Any, rows: list[tuple[Any, ...]]) -> bytearray:
    """The data of a text `COPY … FROM STDIN` of `rows`, as psycopg's `Copy.write_row` formats
    each row (its C formatter and the cursor's dumpers), in one buffer."""
    data = bytearray()
    transformer = Transformer(cursor)
    for row in rows:
        format_row_text(row, transformer, data)
    return data


def copy(sql: str, rows: list[tuple[Any, ...]], sender: Sender | None = None) -> None:
    """`COPY … FROM STDIN` of `rows` (each a tuple in the statement's column order) on this
    thread's connection, through its execute wrappers (query counters see it), with errors as
    Django raises them (a duplicate key is an `IntegrityError`). The rows are formatted here;
    with a `sender` they are sent on its thread, and this returns at once.

    Why formatted here: formatting holds the GIL, and on the second thread it made the threads
    trade the GIL for every 32 KiB psycopg sends; sending a formatted buffer, the second thread
    takes the GIL only to start and end the statement and to hand each 128 KiB to libpq
    (psycopg's MAX_BUFFER_SIZE). Measured at 10,000 dispute rows: the import's wall above its
    CPU 1.46–1.52 s, against 1.92–2.57 s with the buffer formatted on the second thread
    (docs/performance.md, "seventh session")."""
    cursor = connection.cursor()  # made on this thread: a connection's cursors are made by it
    db = cursor.db  # this thread's connection (`connection` is another on the sender's thread)
    try:
        with db.wrap_database_errors:  # a value no dumper takes: raised here, before the COPY
            data = _copy_text(cursor.cursor, rows)
    except BaseException:
        cursor.close()
        raise

    def write(sql: str, params: Any, many: bool, context: Any) -> None:
        with db.wrap_database_errors, cursor.cursor.copy(sql) as out:
            out.write(data)

    def run() -> None:
        with cursor:
            cursor._execute_with_wrappers(sql, rows, True, write)

    if sender is None:
        run()
        return
    sender.send(run, size=len(data))
