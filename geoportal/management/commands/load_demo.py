import inspect
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from layers.datasets import DatasetError

LOCAL_APPS = [name for name in settings.INSTALLED_APPS if "." not in name]


class Command(BaseCommand):
    help = (
        "Load the Haiti demo data: each local app's demo.load(), in INSTALLED_APPS order. "
        "Idempotent: a data set already loaded at the same release is skipped. The demo "
        "accounts (passwords published in the README), the demo Open311 key and the "
        "fictional reports are made only in development (KOMIN_DEV or DEBUG)."
    )

    def add_arguments(self, parser):
        choice = parser.add_mutually_exclusive_group()
        choice.add_argument(
            "--no-accounts",
            action="store_true",
            help="Load the real data (boundaries, population, layers, places) and the "
            "catalogue only: no demo account, demo API key or fictional report.",
        )
        choice.add_argument(
            "--force-demo-accounts",
            action="store_true",
            help="Create the demo accounts even outside development (their passwords "
            "are public: never on a server others can reach).",
        )

    def handle(self, *args, **options):
        development = settings.DEBUG or getattr(settings, "DEV", False)
        if not (development or options["no_accounts"] or options["force_demo_accounts"]):
            raise CommandError(
                "Refused: this is not a development set-up (KOMIN_DEV and DEBUG are off) and "
                "the demo accounts' passwords are published. Use --no-accounts to load the "
                "real data without them, or --force-demo-accounts if you really mean it."
            )
        accounts = not options["no_accounts"]
        for app in LOCAL_APPS:
            if apps.is_installed(app) and find_spec(f"{app}.demo"):
                load = import_module(f"{app}.demo").load
                try:
                    if "accounts" in inspect.signature(load).parameters:
                        load(stdout=self.stdout, accounts=accounts)
                    else:  # real data only: nothing that grants access
                        load(stdout=self.stdout)
                except DatasetError as exc:  # a file that could not be fetched: say which
                    raise CommandError(f"the demo data of {app} was not loaded: {exc}") from exc
