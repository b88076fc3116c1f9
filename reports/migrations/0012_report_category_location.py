"""A GiST index on (category, location) for the duplicate check (btree_gist for the
category). Built CONCURRENTLY: on a national server with millions of reports a plain
CREATE INDEX would hold back every new report for as long as the build takes."""

from django.contrib.postgres.indexes import GistIndex
from django.contrib.postgres.operations import AddIndexConcurrently, BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("reports", "0011_duplicate_candidates")]

    operations = [
        BtreeGistExtension(),
        AddIndexConcurrently(
            model_name="report",
            index=GistIndex(fields=["category", "location"], name="report_category_location"),
        ),
    ]
