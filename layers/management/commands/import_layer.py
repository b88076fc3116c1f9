from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from layers.imports import ImportFailed
from layers.imports.staging import check_local_path
from layers.services.imports import ImportOptions, ImportRejected, import_file


def pair(value: str) -> tuple[str, str]:
    if "=" not in value:
        raise ValueError(value)
    target, source = value.split("=", 1)
    return target.strip(), source.strip()


class Command(BaseCommand):
    help = (
        "Import a GIS file (GeoJSON, GeoPackage, zipped or plain Shapefile, KML, CSV with "
        "lat/lon columns) into a layer: reprojected to EPSG:4326, upserted by external id, "
        "in one transaction. --dry-run prints the validation report and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--layer", required=True, help="Slug of the layer (created if new).")
        parser.add_argument("--title", default="")
        parser.add_argument("--source-layer", help="Layer inside a GeoPackage or KML.")
        parser.add_argument(
            "--field",
            action="append",
            type=pair,
            default=[],
            metavar="ATTRIBUTE=SOURCE_FIELD",
            help="Map a source field to an attribute (repeat). Default: every field.",
        )
        parser.add_argument("--id-field", help="Source field holding a stable id (e.g. osm_id).")
        parser.add_argument("--condition-field", help="Source field holding working/broken/...")
        parser.add_argument("--encoding", help="Text encoding when not UTF-8 (e.g. latin-1).")
        parser.add_argument("--srid", type=int, help="EPSG code when the file does not say.")
        parser.add_argument("--null-value", action="append", default=[], help="e.g. Nan")
        parser.add_argument(
            "--replace", action="store_true", help="Delete features not in the file."
        )
        parser.add_argument("--licence", default="")
        parser.add_argument("--attribution", default="")
        parser.add_argument("--staff-only", action="store_true")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--force", action="store_true", help="Import although most rows are outside every area."
        )

    def handle(self, *args, **opts):
        defaults = {"licence": opts["licence"], "attribution": opts["attribution"]}
        if opts["staff_only"]:
            defaults["visibility"] = "staff"
        options = ImportOptions(
            layer=opts["layer"],
            title=opts["title"],
            source_layer=opts["source_layer"],
            fields=dict(opts["field"]) or None,
            id_field=opts["id_field"],
            condition_field=opts["condition_field"],
            encoding=opts["encoding"],
            srid=opts["srid"],
            null_values=tuple(opts["null_value"]),
            replace=opts["replace"],
            dry_run=opts["dry_run"],
            force=opts["force"],
            layer_defaults=defaults,
        )
        show = opts["verbosity"] > 0

        def progress(items, **kwargs):
            return tqdm(items, disable=not show, unit="row", leave=False, **kwargs)

        try:
            path = check_local_path(opts["path"])
            report = import_file(path=path, options=options, progress=progress)
        except ImportRejected as exc:
            self.stderr.write(exc.report.summary())
            raise CommandError(f"nothing imported: {exc}") from exc
        except ImportFailed as exc:
            raise CommandError(f"nothing imported: {exc}") from exc
        self.stdout.write(report.summary())
