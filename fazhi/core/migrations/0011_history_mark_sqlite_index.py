from django.db import migrations

from fazhi.core.migrations import _history_mark


def index(apps, schema_editor):
    """SQLite: the per-row triggers go (they doubled the cost of inserting history), an index
    on each history table's township comes, and the marks are emptied (`records_versions` reads
    the townships' highest ids there). PostgreSQL keeps its statement-level triggers: nothing
    to do."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in _history_mark.HISTORY:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_mark")
        schema_editor.execute(_history_mark.SQLITE_INDEX.format(table=table))
    schema_editor.execute("DELETE FROM core_historymark")


def triggers(apps, schema_editor):
    """Back to 0010 on SQLite: the triggers again, each township's mark starting from its
    number under 0011 (`BACKFILL_VERSIONS`: the number never goes back)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for table in _history_mark.HISTORY:
        name = _history_mark.SQLITE_INDEX_NAME.format(table=table)
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_mark")
        schema_editor.execute(_history_mark.SQLITE_TRIGGER.format(table=table))
    schema_editor.execute("DELETE FROM core_historymark")
    schema_editor.execute(_history_mark.BACKFILL_VERSIONS)


class Migration(migrations.Migration):
    """The history marks on SQLite: the townships' highest history ids, read through an index,
    instead of a count kept by per-row triggers (core.audit.records_versions)."""

    dependencies = [
        ("core", "0010_history_keys_unchecked"),
    ]

    operations = [migrations.RunPython(index, triggers, elidable=False)]
