import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0002_default_jurisdiction_and_memberships_from_groups"),
        ("reports", "0007_existing_rows_to_default_jurisdiction"),
    ]

    operations = [
        migrations.AlterField(
            model_name="report",
            name="jurisdiction",
            field=models.ForeignKey(
                help_text="The town hall whose area contains it (or that it was transferred to).",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="reports",
                to="communes.jurisdiction",
            ),
        ),
    ]
