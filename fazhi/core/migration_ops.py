"""Operations for hand-written migrations.

`drop_field_indexes` removes the index `db_index=True` made for a column (and on PostgreSQL
its `varchar_pattern_ops` twin, suffix "_like") by name, on both databases. Use it inside
`SeparateDatabaseAndState` with the fields' `AlterField(db_index=False)` as the state
operations: an `AlterField` alone would rebuild the whole table on SQLite to drop one index.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def drop_field_indexes(*dropped: tuple[str, str, bool]) -> migrations.RunPython:
    """DROP INDEX of each (table, column, pattern) — `pattern`: a text column, which on
    PostgreSQL also has a "_like" index — and CREATE INDEX again on the way back."""

    def names(schema_editor: Any, table: str, column: str, pattern: bool) -> list[str]:
        make = schema_editor._create_index_name
        out = [make(table, [column], suffix="")]
        if pattern and schema_editor.connection.vendor == "postgresql":
            out.append(make(table, [column], suffix="_like"))
        return out

    def forward(apps: Any, schema_editor: Any) -> None:
        quote = schema_editor.quote_name
        for table, column, pattern in dropped:
            for name in names(schema_editor, table, column, pattern):
                schema_editor.execute(f"DROP INDEX IF EXISTS {quote(name)}")

    def backward(apps: Any, schema_editor: Any) -> None:
        quote = schema_editor.quote_name
        for table, column, pattern in dropped:
            for name in names(schema_editor, table, column, pattern):
                ops = " varchar_pattern_ops" if name.endswith("_like") else ""
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {quote(name)} "
                    f"ON {quote(table)} ({quote(column)}{ops})"
                )

    return migrations.RunPython(forward, backward, elidable=False)
