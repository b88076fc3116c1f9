"""Demo accounts, one per role, and the role groups with their model permissions.
An anonymous citizen needs no account."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

# Published demo passwords (README), for development only: hence the nosec B105 below.
DEMO_ACCOUNTS = [
    {
        "username": "admin",
        "password": "komin-admin-demo",  # nosec B105
        "role": "administrator",
        "superuser": True,
    },
    {"username": "citizen", "password": "komin-citizen-demo", "role": "citizen"},  # nosec B105
    {"username": "crew", "password": "komin-crew-demo", "role": "crew member"},  # nosec B105
    {"username": "supervisor", "password": "komin-supervisor-demo", "role": "supervisor"},  # nosec B105
    {"username": "planner", "password": "komin-planner-demo", "role": "planner"},  # nosec B105
    {"username": "manager", "password": "komin-manager-demo", "role": "administrator"},  # nosec B105
]
# Group of each role (reports.roles.GROUPS) and the model permissions it holds.
# Workflow rights (who may move a ticket where) are data in reports.workflow.
GROUP_PERMISSIONS = {
    "citizens": [],
    "crews": ["reports.view_report", "reports.view_category", "reports.view_team"],
    "supervisors": [
        "reports.view_report",
        "reports.change_report",
        "reports.view_category",
        "reports.view_team",
        "reports.change_team",
        "reports.view_routingrule",
        "reports.add_routingrule",
        "reports.change_routingrule",
        "reports.delete_routingrule",
    ],
    "planners": ["reports.view_report", "reports.view_category", "layers.view_adminarea"],
    "administrators": [
        f"{app}.{action}_{model}"
        for app, model in [
            ("reports", "category"),
            ("reports", "question"),
            ("reports", "team"),
            ("reports", "routingrule"),
            ("reports", "report"),
            ("open311", "apikey"),
        ]
        for action in ("view", "add", "change", "delete")
    ],
}
ACCOUNT_GROUPS = {
    "citizen": "citizens",
    "crew": "crews",
    "supervisor": "supervisors",
    "planner": "planners",
    "manager": "administrators",
}
STAFF = {"crew", "supervisor", "planner", "manager"}


def load_groups() -> dict[str, Group]:
    groups = {}
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = []
        for dotted in codenames:
            app, codename = dotted.split(".")
            perm = Permission.objects.filter(content_type__app_label=app, codename=codename).first()
            if perm:
                perms.append(perm)
        group.permissions.set(perms)
        groups[name] = group
    return groups


def load(*, stdout) -> None:
    User = get_user_model()
    groups = load_groups()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account["username"])
        if created:
            user.set_password(account["password"])
            user.is_superuser = account.get("superuser", False)
            user.is_staff = user.is_superuser or account["username"] in STAFF
            user.email = f"{account['username']}@komin.invalid"
            user.save()
            stdout.write(f"demo account {user.username} created")
        group = ACCOUNT_GROUPS.get(account["username"])
        if group:
            user.groups.add(groups[group])
