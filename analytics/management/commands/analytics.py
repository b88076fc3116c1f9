"""Run any analysis in batch, e.g.

    manage.py analytics rates --level commune --from 2026-01-01 --format csv -o rates.csv
    manage.py analytics coverage --layer water-points --distance 500 --format gpkg -o gaps.gpkg

The options are those of the API endpoint of the same analysis, validated the same way.
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from rest_framework.exceptions import ValidationError

from analytics.analyses import ANALYSES
from analytics.params import parse
from analytics.results import FORMATS, render
from geoportal.api import _flatten


class Command(BaseCommand):
    help = f"Run an analysis: {', '.join(ANALYSES)}."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="analysis", required=True)
        for name, analysis in ANALYSES.items():
            command = sub.add_parser(name, help=analysis.summary)
            for spec in analysis.params:
                command.add_argument(
                    f"--{spec.name.replace('_', '-')}", dest=spec.name, help=spec.help
                )
            command.add_argument("--format", choices=FORMATS, default="geojson")
            command.add_argument("-o", "--output", help="File to write (default: standard output)")

    def handle(self, *args, **options):
        analysis = ANALYSES[options["analysis"]]
        params = {spec.name: options.get(spec.name) for spec in analysis.params}
        params = {key: value for key, value in params.items() if value is not None}
        try:
            result = analysis.run(parse(params, analysis.params))
        except ValidationError as exc:
            raise CommandError(_flatten(exc.detail)) from None
        body = render(result, options["format"])
        if options.get("output"):
            with open(options["output"], "wb") as handle:
                handle.write(body)
            self.stderr.write(
                f"{options['analysis']}: {len(result.rows)} rows -> {options['output']}"
            )
        elif options["format"] == "gpkg":
            raise CommandError("A GeoPackage needs --output FILE.")
        else:
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
