"""The database cache table (settings.CACHES): shared by every worker, so the limits on wrong
codes and requests hold across gunicorn workers."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_evidence_v2")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
