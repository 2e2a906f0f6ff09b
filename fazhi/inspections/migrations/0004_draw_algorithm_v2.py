"""双随机 draw algorithm version 2: the plan records the version it was drawn with (plans drawn
before are version 1), and the draw's ordered read of the directory gets a covering index."""

from django.db import migrations, models


def drawn_plans_are_v1(apps, schema_editor):
    RandomPlan = apps.get_model("inspections", "RandomPlan")
    RandomPlan.objects.exclude(seed="").update(algorithm="v1")


def create_draw_index(apps, schema_editor):
    # the draw reads (credit_code, credit_class) of a township's active entities ordered by
    # (credit_class, credit_code) in code point order: "C" collation on PostgreSQL, SQLite's
    # default BINARY; every column read is in the index (an index-only scan on PostgreSQL)
    collate = ' COLLATE "C"' if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        "CREATE INDEX insp_ent_draw ON inspections_enterprise"
        f" (township_id, credit_class, credit_code{collate}) WHERE is_active"
    )


def drop_draw_index(apps, schema_editor):
    schema_editor.execute("DROP INDEX insp_ent_draw")


class Migration(migrations.Migration):

    dependencies = [
        ('inspections', '0003_recusals'),
    ]

    operations = [
        migrations.AddField(
            model_name='randomplan',
            name='algorithm',
            field=models.CharField(blank=True, editable=False, max_length=4, verbose_name='抽取算法版本'),
        ),
        migrations.RunPython(drawn_plans_are_v1, migrations.RunPython.noop),
        migrations.RunPython(create_draw_index, drop_draw_index),
    ]
