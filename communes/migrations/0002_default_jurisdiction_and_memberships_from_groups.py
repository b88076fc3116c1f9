"""Nothing is lost: the service as it was becomes the default jurisdiction, and each
member of the old role groups becomes a national member with that role."""

from django.conf import settings
from django.db import migrations

GROUP_ROLES = {
    "crews": "crew",
    "supervisors": "supervisor",
    "planners": "planner",
    "administrators": "administrator",
}


def forwards(apps, schema_editor):
    Jurisdiction = apps.get_model("communes", "Jurisdiction")
    Membership = apps.get_model("communes", "Membership")
    Group = apps.get_model("auth", "Group")
    if not Jurisdiction.objects.filter(is_default=True).exists():
        Jurisdiction.objects.create(
            slug="national",
            name_fr="Service national",
            name_ht="Sèvis nasyonal",
            name_en="National service",
            open311_id=getattr(settings, "KOMIN_OPEN311_JURISDICTION", "komin.ht"),
            is_default=True,
        )
    for group in Group.objects.filter(name__in=GROUP_ROLES):
        for user in group.user_set.all():
            Membership.objects.get_or_create(
                user=user, jurisdiction=None, role=GROUP_ROLES[group.name]
            )


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0001_jurisdictions_and_memberships"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
