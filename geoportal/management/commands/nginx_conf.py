"""Prints the nginx site configuration of deploy/nginx/ for this deployment."""

from pathlib import Path

from django.core.management.base import BaseCommand

from geoportal.nginx import site


class Command(BaseCommand):
    help = "Print deploy/nginx/komin.conf filled in: upstreams, listen, limits from settings."

    def add_arguments(self, parser):
        parser.add_argument(
            "--upstream", action="append", required=True, help="host:port of a gunicorn."
        )
        parser.add_argument("--listen", default="80")
        parser.add_argument("--server-name", default="_")
        parser.add_argument("--static-root", help="Default: STATIC_ROOT.")
        parser.add_argument("--cache-dir", default="/var/cache/nginx/komin")
        parser.add_argument("--cache-size", default="2g")

    def handle(self, *args, **options):
        static = options["static_root"]
        self.stdout.write(
            site(
                upstreams=options["upstream"],
                listen=options["listen"],
                server_name=options["server_name"],
                static_root=Path(static) if static else None,
                cache_dir=Path(options["cache_dir"]),
                cache_size=options["cache_size"],
            )
        )
