from django.core.management.base import BaseCommand, CommandError

from layers.datasets import DatasetError, all_datasets, get_dataset


class Command(BaseCommand):
    help = (
        "Fetch the files of catalogued data sets (data/*/sources.toml) that are missing from "
        "KOMIN_DATA_DIR: from the mirror folder KOMIN_DATA_MIRROR, else from the publisher. "
        "Checks every checksum. With no KEY, every catalogued data set."
    )

    def add_arguments(self, parser):
        parser.add_argument("keys", nargs="*", metavar="KEY")

    def handle(self, *args, **options):
        try:
            datasets = [get_dataset(key) for key in options["keys"]] or all_datasets().values()
        except DatasetError as exc:
            raise CommandError(str(exc)) from exc
        failures = []
        for dataset in datasets:
            try:
                dataset.verify()
            except DatasetError as exc:
                failures.append(str(exc))
        if failures:
            raise CommandError("\n".join(failures))
        if options["verbosity"] > 1:
            self.stdout.write(f"{len(datasets)} data sets present and verified")
