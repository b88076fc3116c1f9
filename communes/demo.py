"""Demo jurisdictions and accounts: Port-au-Prince (HT0111), Delmas (HT0112) and
Cap-Haïtien (HT0311) as three town halls with their own staff, plus national accounts,
one per role. An anonymous citizen needs no account. Idempotent."""

from django.contrib.auth import get_user_model
from django.db import transaction

from communes.models import Jurisdiction, Membership
from communes.selectors import default_jurisdiction

JURISDICTIONS = [
    {
        "slug": "port-au-prince",
        "name_fr": "Mairie de Port-au-Prince",
        "name_ht": "Meri Pòtoprens",
        "name_en": "Port-au-Prince town hall",
        "pcodes": ["HT0111"],
        "open311_id": "port-au-prince.komin.ht",
        "contact_email": "travaux@port-au-prince.invalid",
        "sla_hours": 72,
    },
    {
        "slug": "delmas",
        "name_fr": "Mairie de Delmas",
        "name_ht": "Meri Dèlma",
        "name_en": "Delmas town hall",
        "pcodes": ["HT0112"],
        "open311_id": "delmas.komin.ht",
        "contact_email": "travaux@delmas.invalid",
        "sla_hours": 72,
    },
    {
        "slug": "cap-haitien",
        "name_fr": "Mairie du Cap-Haïtien",
        "name_ht": "Meri Okap",
        "name_en": "Cap-Haïtien town hall",
        "pcodes": ["HT0311"],
        "open311_id": "cap-haitien.komin.ht",
        "contact_email": "travaux@cap-haitien.invalid",
        "sla_hours": 96,
    },
]

# (username, password, what `make run` prints, [(jurisdiction slug or None, role)]).
# None is national: the first six accounts are those of the single-town demo before.
# Published demo passwords (README), for development only: hence the nosec B105 below.
DEMO_ACCOUNTS = [
    {"username": "admin", "password": "komin-admin-demo", "role": "superuser", "superuser": True},  # nosec B105
    {"username": "citizen", "password": "komin-citizen-demo", "role": "citizen"},  # nosec B105
    {"username": "crew", "password": "komin-crew-demo", "role": "crew (national)", "grants": [(None, "crew")]},  # nosec B105
    {"username": "supervisor", "password": "komin-supervisor-demo", "role": "supervisor (national)", "grants": [(None, "supervisor")]},  # nosec B105
    {"username": "planner", "password": "komin-planner-demo", "role": "planner (national)", "grants": [(None, "planner")]},  # nosec B105
    {"username": "manager", "password": "komin-manager-demo", "role": "administrator (national)", "grants": [(None, "administrator")]},  # nosec B105
    {"username": "gis", "password": "komin-gis-demo", "role": "GIS editor (national)", "grants": [(None, "gis_editor")]},  # nosec B105
    *[
        {"username": f"{short}-{role_name}", "password": f"komin-{short}-{role_name}-demo",
         "role": f"{label} {slug}", "grants": [(slug, role)]}
        for short, slug in (("pap", "port-au-prince"), ("delmas", "delmas"), ("cap", "cap-haitien"))
        for role_name, role, label in (
            ("supervisor", "supervisor", "supervisor"),
            ("crew", "crew", "crew"),
            ("gis", "gis_editor", "GIS editor"),
        )
    ],
]  # fmt: skip


def load(*, stdout, accounts: bool = True) -> None:
    """The jurisdictions always; the demo accounts (published passwords) only with
    `accounts`."""
    with transaction.atomic():
        default_jurisdiction()
        for spec in JURISDICTIONS:
            Jurisdiction.objects.update_or_create(slug=spec["slug"], defaults=spec)
        if accounts:
            load_accounts(stdout=stdout)


def load_accounts(*, stdout) -> None:
    User = get_user_model()
    by_slug = {j.slug: j for j in Jurisdiction.objects.all()}
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account["username"])
        if created:
            user.set_password(account["password"])
            user.is_superuser = user.is_staff = account.get("superuser", False)
            user.email = f"{account['username']}@komin.invalid"
            user.save()
            stdout.write(f"demo account {user.username} created")
        for slug, role in account.get("grants", []):
            Membership.objects.get_or_create(
                user=user, jurisdiction=by_slug[slug] if slug else None, role=role
            )
