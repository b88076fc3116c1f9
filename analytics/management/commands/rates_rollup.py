"""Builds the rates rollup (analytics.rollup): `--rebuild` every cell from the reports
(after a restore, a bulk load with triggers off, or to check it), else only the sections
marked dirty (what the worker does every KOMIN_RATES_ROLLUP_SECONDS)."""

import time

from django.core.management.base import BaseCommand

from analytics.services.rollup import rollup_rebuild, rollup_refresh


class Command(BaseCommand):
    help = "Rebuild the rates rollup: every cell (--rebuild) or the dirty sections' cells."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="rebuild every cell")

    def handle(self, *args, **options):
        start = time.perf_counter()
        if options["rebuild"]:
            cells = rollup_rebuild()
            done = f"{cells} cells rebuilt"
        else:
            done = f"{rollup_refresh()} sections refreshed"
        self.stdout.write(f"{done} in {time.perf_counter() - start:.1f} s")
