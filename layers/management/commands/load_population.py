from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from layers.datasets import DatasetError
from layers.services.catalogue import load_population_dataset
from layers.services.population import PopulationImportError, load_population


class Command(BaseCommand):
    help = "Load population per P-code from a CSV (pcode,population,...) or a catalogued data set."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?")
        parser.add_argument("--dataset", help="A key of data/*/sources.toml")
        parser.add_argument("--source", default="", help="Attribution of a CSV given by path")
        parser.add_argument("--year", type=int)
        parser.add_argument("--skip-checksum", action="store_true")

    def handle(self, *args, **options):
        try:
            if options["dataset"]:
                report = load_population_dataset(
                    key=options["dataset"], verify=not options["skip_checksum"]
                )
            elif options["path"]:
                report = load_population(
                    path=Path(options["path"]), source=options["source"], year=options["year"]
                )
            else:
                raise CommandError("give --dataset KEY or a CSV path")
        except (PopulationImportError, DatasetError) as exc:
            raise CommandError(f"nothing was loaded: {exc}") from exc
        self.stdout.write(
            f"population: {report.updated} areas updated, "
            f"{len(report.unknown_pcodes)} unknown P-codes"
        )
