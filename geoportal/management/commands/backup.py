"""`make backup`: the database and the media files into one dated folder."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geoportal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump custom format) and MEDIA_ROOT into a dated folder."

    def add_arguments(self, parser):
        default = getattr(settings, "KOMIN_BACKUP_DIR", settings.BASE_DIR / ".local" / "backups")
        parser.add_argument("--dir", default=str(default), help="Where the folder is made.")

    def handle(self, *args, **options):
        try:
            folder = backup(folder=Path(options["dir"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(folder))
