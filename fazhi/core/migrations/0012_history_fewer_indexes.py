import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from fazhi.core.migration_ops import drop_field_indexes

#: (table, column, pattern) of the single-column indexes `db_index` made on the history tables
#: that no query of the platform uses (docs/performance.md, "Fewer indexes on the history");
#: `kind`'s "_like" index stays, renamed event_kind below
DROPPED = (
    ("core_changerecord", "at", False),
    ("core_changerecord", "content_type_id", False),
    ("core_domainevent", "at", False),
    ("core_domainevent", "content_type_id", False),
    ("core_domainevent", "kind", False),
)


def rename(apps, schema_editor):
    """Django's pattern index of `kind` becomes event_kind (SQLite has none: one is made)."""
    like = schema_editor._create_index_name("core_domainevent", ["kind"], suffix="_like")
    if schema_editor.connection.vendor == "postgresql":
        quote = schema_editor.quote_name
        schema_editor.execute(f"ALTER INDEX IF EXISTS {quote(like)} RENAME TO event_kind")
    else:
        schema_editor.execute("CREATE INDEX IF NOT EXISTS event_kind ON core_domainevent (kind)")


def unrename(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        like = schema_editor._create_index_name("core_domainevent", ["kind"], suffix="_like")
        schema_editor.execute(
            f"ALTER INDEX IF EXISTS event_kind RENAME TO {schema_editor.quote_name(like)}"
        )
    else:
        schema_editor.execute("DROP INDEX IF EXISTS event_kind")


class Migration(migrations.Migration):
    """Each history row (~17 a ledger row) paid for seven indexes on an event and six on a
    change record; five served no query: `at` (history is read by record, township first),
    `content_type` alone (the composite indexes lead with the township) and `kind` twice (one
    index with pattern operators serves both `kind = …` and `kind LIKE 'core.%'`)."""

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0011_history_mark_sqlite_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                # by name on both databases: an AlterField would rebuild the tables on SQLite
                # and lose 0011's index
                drop_field_indexes(*DROPPED),
                migrations.RunPython(rename, unrename, elidable=False),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="changerecord",
                    name="at",
                    field=models.DateTimeField(auto_now_add=True, verbose_name="时间"),
                ),
                migrations.AlterField(
                    model_name="changerecord",
                    name="content_type",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="domainevent",
                    name="at",
                    field=models.DateTimeField(auto_now_add=True, verbose_name="时间"),
                ),
                migrations.AlterField(
                    model_name="domainevent",
                    name="content_type",
                    field=models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                migrations.AlterField(
                    model_name="domainevent",
                    name="kind",
                    field=models.CharField(max_length=80, verbose_name="事件类型"),
                ),
                migrations.AddIndex(
                    model_name="domainevent",
                    index=models.Index(
                        fields=["kind"], name="event_kind", opclasses=["varchar_pattern_ops"]
                    ),
                ),
            ],
        )
    ]
