from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from open311.keys import api_key_create
from open311.models import ApiKey


class Command(BaseCommand):
    help = "Create an Open311 API key (printed once) or revoke one by its prefix."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="Who will use the key")
        parser.add_argument("--user", help="Username the key acts as (workflow rights)")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="Deactivate the key with this prefix"
        )

    def handle(self, *args, name=None, user=None, revoke=None, **options):
        if revoke:
            count = ApiKey.objects.filter(prefix=revoke, active=True).update(active=False)
            if not count:
                raise CommandError(f"No active key starts with {revoke!r}.")
            self.stdout.write(f"revoked {count} key(s)")
            return
        if not name:
            raise CommandError("Give the key a name (who will use it).")
        account = None
        if user:
            account = get_user_model().objects.filter(username=user).first()
            if account is None:
                raise CommandError(f"No user {user!r}.")
        _, raw = api_key_create(name=name, user=account)
        self.stdout.write(raw)
