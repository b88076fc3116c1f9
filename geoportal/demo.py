"""Demo accounts, one per role. Later apps add their roles here."""

from django.contrib.auth import get_user_model

DEMO_ACCOUNTS = [
    {
        "username": "admin",
        "password": "komin-admin-demo",
        "role": "administrator",
        "superuser": True,
    },
]


def load(*, stdout) -> None:
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(username=account["username"])
        if created:
            user.set_password(account["password"])
            user.is_staff = user.is_superuser = account.get("superuser", False)
            user.save()
            stdout.write(f"demo account {user.username} created")
