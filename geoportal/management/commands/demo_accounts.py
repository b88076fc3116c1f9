from django.core.management.base import BaseCommand

from communes.demo import DEMO_ACCOUNTS


class Command(BaseCommand):
    help = "Print the demo accounts (development only)."

    def handle(self, *args, **options):
        self.stdout.write("Demo accounts (development only):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account['role']:<28} {account['username']:<18} {account['password']}"
            )
