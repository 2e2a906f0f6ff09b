import django.db.models.deletion
from django.db import migrations, models

from fazhi.core.migration_ops import drop_field_indexes


class Migration(migrations.Migration):
    """Two indexes that served no query: a dispute's `township` alone (its composite indexes
    lead with it) and a party link's `dispute` alone (`dispute_party_unique` leads with it).
    docs/adding-a-module.md, "2. Models"."""

    dependencies = [
        ("core", "0012_history_fewer_indexes"),
        ("disputes", "0001_mediation"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                drop_field_indexes(
                    ("disputes_dispute", "township_id", False),
                    ("disputes_disputeparty", "dispute_id", False),
                )
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="dispute",
                    name="township",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.township",
                        verbose_name="乡镇",
                    ),
                ),
                migrations.AlterField(
                    model_name="disputeparty",
                    name="dispute",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="dispute_parties",
                        to="disputes.dispute",
                        verbose_name="纠纷",
                    ),
                ),
            ],
        )
    ]
