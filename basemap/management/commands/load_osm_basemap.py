from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from basemap.services import BasemapError, load_osm_basemap


class Command(BaseCommand):
    help = (
        "Loads the local basemap (roads, buildings, landmarks, water, named places) from an"
        " OpenStreetMap extract (.osm or .osm.pbf, e.g. Geofabrik's haiti-and-domrep-latest"
        ".osm.pbf), replacing the previous one. Served as /tiles/basemap/ when"
        " KOMIN_BASEMAP=local."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        try:
            result = load_osm_basemap(path=path)
        except BasemapError as exc:
            raise CommandError(str(exc)) from exc
        parts = ", ".join(f"{n} {kind}" for kind, n in sorted(result.counts.items()))
        self.stdout.write(
            f"Loaded {result.total} basemap features from {path.name}: {parts or 'none'}."
        )
