"""Existing reports, teams and routing rules belong to the default jurisdiction (the
service as it was); categories stay in the national catalogue (jurisdiction empty)."""

from django.db import migrations


def forwards(apps, schema_editor):
    Jurisdiction = apps.get_model("communes", "Jurisdiction")
    default = Jurisdiction.objects.get(is_default=True)
    for model in ("Report", "Team", "RoutingRule"):
        apps.get_model("reports", model).objects.filter(jurisdiction=None).update(
            jurisdiction=default
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0006_jurisdictions_of_teams_categories_rules_reports"),
        ("communes", "0002_default_jurisdiction_and_memberships_from_groups"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
