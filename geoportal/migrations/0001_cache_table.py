"""The database cache table (rate limits and tiles shared by all workers) is created by
`migrate` itself, so every database Komin migrates (development, tests, the browser-test
server, production) has it. A no-op when another cache backend is configured."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies: list = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
