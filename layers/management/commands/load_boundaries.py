from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from layers.datasets import DatasetError
from layers.levels import Level
from layers.services.boundaries import (
    BoundaryImportError,
    BoundarySource,
    NewGeneration,
    load_boundaries,
)
from layers.services.catalogue import load_boundary_dataset


def progress(rows, label, total):
    return tqdm(rows, desc=label, total=total, unit=" areas", leave=False)


class Command(BaseCommand):
    help = (
        "Load administrative boundaries: a catalogued data set (--dataset hti-cod-ab) or any "
        "OGR source with a field mapping (PATH --level commune --field pcode=ADM2_PCODE ...). "
        "A catalogued release not loaded yet, or a file given with --new-generation, starts "
        "a new boundary generation (the previous one is kept, read-only; levels not loaded "
        "are carried over); otherwise areas are upserted by P-code into the current "
        "generation. One transaction; repairs invalid polygons and says which."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A Shapefile, GeoPackage, GeoJSON, ...")
        parser.add_argument("--dataset", help="A key of data/*/sources.toml")
        parser.add_argument("--skip-checksum", action="store_true")
        parser.add_argument("--level", choices=Level.values)
        parser.add_argument("--layer", help="Layer name in a multi-layer source")
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="KEY=FIELD",
            help="Field mapping; keys: pcode, name_fr, name_ht, name_en, parent",
        )
        parser.add_argument(
            "--derive-arrondissements",
            type=int,
            metavar="N",
            help="Build arrondissements from the first N characters of commune P-codes",
        )
        parser.add_argument(
            "--new-generation",
            metavar="NAME",
            help="Start a new boundary generation with this name (a new release of PATH)",
        )
        parser.add_argument(
            "--valid-from",
            type=date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="With --new-generation: the date the release applies from (default: today)",
        )
        parser.add_argument("--release", default="", help="With --new-generation: its release")

    def handle(self, *args, **options):
        try:
            if options["dataset"]:
                report = load_boundary_dataset(
                    key=options["dataset"],
                    verify=not options["skip_checksum"],
                    progress=progress,
                )
            else:
                report = load_boundaries(
                    sources=[self._source(options)],
                    derive_arrondissements=options["derive_arrondissements"],
                    new_generation=self._new_generation(options),
                    progress=progress,
                )
        except (BoundaryImportError, DatasetError) as exc:
            raise CommandError(f"nothing was loaded: {exc}") from exc
        started = "new generation" if report.new_generation else "generation"
        self.stdout.write(
            f"{started} {report.generation}: {report.carried_over} areas carried over; "
            f"boundaries: {report.created} created, {report.updated} updated, "
            f"{report.derived} derived arrondissements, {len(report.repaired)} repaired"
            + (f" ({', '.join(report.repaired)})" if report.repaired else "")
        )

    def _new_generation(self, options) -> NewGeneration | None:
        if not options["new_generation"]:
            if options["valid_from"] or options["release"]:
                raise CommandError("--valid-from and --release go with --new-generation NAME")
            return None
        return NewGeneration(
            name=options["new_generation"],
            valid_from=options["valid_from"] or date.today(),
            source=Path(options["path"] or "").name,
            release=options["release"],
        )

    def _source(self, options) -> BoundarySource:
        if not options["path"] or not options["level"]:
            raise CommandError("give --dataset KEY, or a PATH with --level and --field mappings")
        fields = {}
        for item in options["field"]:
            key, sep, name = item.partition("=")
            if not sep or not name:
                raise CommandError(f"--field {item!r}: expected KEY=FIELD")
            fields[key] = name
        return BoundarySource(
            path=Path(options["path"]),
            level=options["level"],
            fields=fields,
            layer=options["layer"],
            dataset=Path(options["path"]).stem,
        )
