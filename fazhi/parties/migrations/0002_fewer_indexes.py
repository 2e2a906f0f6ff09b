import django.db.models.deletion
from django.db import migrations, models

from fazhi.core.migration_ops import drop_field_indexes


class Migration(migrations.Migration):
    """Every party written paid for twelve indexes; five served no query: `id_key` and
    `match_key` alone and their pattern twins (the party index is asked within a township:
    `party_unique_id_number` and `party_match_key` lead with it) and `township` alone (the
    party's composite indexes lead with it). docs/adding-a-module.md, "2. Models"."""

    dependencies = [
        ("core", "0012_history_fewer_indexes"),
        ("parties", "0001_party_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_field_indexes(
                    ("parties_party", "id_key", True),
                    ("parties_party", "match_key", True),
                    ("parties_party", "township_id", False),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="party",
                    name="id_key",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="party",
                    name="match_key",
                    field=models.CharField(blank=True, editable=False, max_length=64),
                ),
                migrations.AlterField(
                    model_name="party",
                    name="township",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.township",
                        verbose_name="乡镇",
                    ),
                ),
            ],
        )
    ]
