"""`make restore FROM=<backup folder>`: into an empty database and a media folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from geoportal.backup import BackupError, params_from_url, restore


class Command(BaseCommand):
    help = "Restore a backup folder into an empty database (default: the configured one)."

    def add_arguments(self, parser):
        parser.add_argument("source", help="A folder made by `manage.py backup`.")
        parser.add_argument("--database-url", help="The empty database to restore into.")
        parser.add_argument("--media-root", help=f"Default: MEDIA_ROOT ({settings.MEDIA_ROOT}).")
        parser.add_argument("--jobs", type=int, default=2, help="pg_restore parallel jobs.")

    def handle(self, *args, **options):
        url = options["database_url"]
        params = params_from_url(url) if url else connections["default"].settings_dict
        media_root = Path(options["media_root"] or settings.MEDIA_ROOT)
        try:
            restore(source=Path(options["source"]), params=params, media_root=media_root,
                    jobs=options["jobs"])  # fmt: skip
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"restored {Path(options['source']).name} into {params['NAME']}")
