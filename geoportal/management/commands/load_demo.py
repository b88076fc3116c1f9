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
        "Idempotent: a data set already loaded at the same release is skipped."
    )

    def handle(self, *args, **options):
        for app in LOCAL_APPS:
            if apps.is_installed(app) and find_spec(f"{app}.demo"):
                try:
                    import_module(f"{app}.demo").load(stdout=self.stdout)
                except DatasetError as exc:  # a file that could not be fetched: say which
                    raise CommandError(f"the demo data of {app} was not loaded: {exc}") from exc
