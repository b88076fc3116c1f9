"""Load a single-band GeoTIFF as a raster layer (the same checks as the upload API), e.g.

    manage.py load_raster hti_ppp_2020_UNadj_constrained.tif --title "Population 2020" \
        --kind population --unit people --source WorldPop --licence "CC BY 4.0"
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from analytics.models import RasterLayer
from analytics.services.rasters import RasterError, raster_create


class Command(BaseCommand):
    help = "Validate and store a single-band GeoTIFF as a raster layer."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--title", required=True)
        parser.add_argument("--slug")
        parser.add_argument("--kind", choices=RasterLayer.Kind.values, default="other")
        parser.add_argument("--unit", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--source", default="")
        parser.add_argument("--licence", default="")
        parser.add_argument("--attribution", default="")

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        try:
            layer = raster_create(
                source=path, title=options["title"], slug=options["slug"], kind=options["kind"],
                unit=options["unit"], description=options["description"],
                source_name=options["source"], licence=options["licence"],
                attribution=options["attribution"],
            )  # fmt: skip
        except RasterError as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(
            f"raster {layer.slug}: {layer.width}×{layer.height} {layer.dtype}, EPSG:{layer.epsg}"
        )
