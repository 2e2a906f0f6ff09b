"""The query planner's statistics of the tables a long import grows, kept current (PostgreSQL).

A ledger import writes 100k rows in one transaction and reads the same tables once a batch (the
party index, a petitioner's earlier petitions, a party's earlier disputes, the evidence heads).
The planner plans those reads from the statistics of the last ANALYZE, which autovacuum cannot
refresh for rows not yet committed: a township's first large import into near-empty tables is
planned as if they were still empty, and its reads turn into scans of everything the import has
written so far (measured on the petition ledger at 100k rows: the party index 0.8 ms a batch
with current statistics, 26 ms without; a batch's wall time grew from 122 to 200 ms over the
import).

`Statistics.grew` runs ANALYZE on the given tables each time the import has written as many
rows as a table held when it was last analyzed (at least `FIRST`): a handful of passes whatever
the size (4 at 100k rows into empty tables), each sampling at most ~30k rows a table. ANALYZE
in a transaction counts the transaction's own inserted rows; its statistics become visible to
others at commit and go with a rollback. A role that does not own a table gets a warning from
PostgreSQL and no error, and the import plans as before; so does one whose table another
session is analyzing or vacuuming (ANALYZE's lock is held to the end of the transaction: a
second import does not wait for the first, see LOCK_TIMEOUT). SQLite: nothing (its planner
reads no row counts unless ANALYZE was run by hand, and uses the indexes the query names)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import OperationalError, connection, models

#: rows an import writes before its first ANALYZE of a table that was empty
FIRST = 2000

#: how long ANALYZE waits for a table another session is analyzing or vacuuming
LOCK_TIMEOUT = "100ms"


class Statistics:
    """ANALYZE `models`' tables as an import grows them (see the module)."""

    def __init__(self, tables: Iterable[type[models.Model]]) -> None:
        self.enabled = connection.vendor == "postgresql"
        self.written = 0
        self._next: dict[str, float] = {}
        self._timeout = "0"
        if not self.enabled:
            return
        names = [m._meta.db_table for m in tables]
        with connection.cursor() as cursor:
            # the rows each table held at its last ANALYZE (-1: never analyzed, PostgreSQL 14+)
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class "
                "WHERE relname = ANY(%s) AND relkind = 'r' AND relnamespace = "
                "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())",
                [names],
            )
            held = dict(cursor.fetchall())
            cursor.execute("SELECT current_setting('lock_timeout')")
            self._timeout = cursor.fetchone()[0]
        self._next = {name: max(FIRST, held.get(name) or 0) for name in names}

    def grew(self, rows: int) -> None:
        """The import has written `rows` more rows (of its own kind: ledger rows)."""
        self.written += rows
        due = [name for name, at in self._next.items() if self.written >= at]
        if not due:
            return
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            # a savepoint of its own, whatever the block allows: `core.io.bulk_write` turns the
            # services' savepoints off, and a timed-out ANALYZE must not abort the import
            cursor.execute("SAVEPOINT fazhi_analyze")
            try:
                # not waiting for another session's ANALYZE or VACUUM of the table (another
                # import's, held to its commit): this import then plans as before
                # set_config, not SET: a parameter binds on the server too (server-side binding)
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [LOCK_TIMEOUT])
                cursor.execute("ANALYZE " + ", ".join(quote(name) for name in due))
            except OperationalError:
                # back to before the savepoint: the statement's error and the lock_timeout go
                cursor.execute("ROLLBACK TO SAVEPOINT fazhi_analyze")
            else:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [self._timeout])
            cursor.execute("RELEASE SAVEPOINT fazhi_analyze")
        for name in due:  # next when the import has written as much again as the table holds
            self._next[name] = self.written * 2 + self._next[name]
