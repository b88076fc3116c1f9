"""Tiles skip the middleware they do not need.

A tile is the same for everyone: no session, no user, no CSRF token, no language, no
messages, no rate limit (tiles are not limited). Placed before SessionMiddleware, this
answers GET and HEAD of /tiles/{source}/{z}/{x}/{y}.pbf by calling the tile view
directly, after the checks that still apply (control characters in the URL). The
middleware above it (security headers, compression, Vary) still wraps the answer.
Measured by bench/hot_routes.py."""

import re

from django.db import InterfaceError, OperationalError

from geoportal.errors import database_unavailable
from geoportal.middleware import InputHygieneMiddleware

# The tile route of layers/tiles_urls.py, parsed here rather than by the URL resolver
# (a tenth of a millisecond a tile); anything else goes down the full chain.
TILE = re.compile(
    r"^/tiles/(?P<source>[-\w]+)/(?P<z>[0-9]+)/(?P<x>[0-9]+)/(?P<y>[0-9]+)\.pbf$", re.A
)
ROUTE = "tile"  # the route's URL name, for metrics and the request log


class TileFastPathMiddleware:
    def __init__(self, get_response):
        from layers.tiles.views import tile

        self.get_response = get_response
        self.view = tile

    def __call__(self, request):
        match = TILE.match(request.path_info) if request.method in ("GET", "HEAD") else None
        if match is None:
            return self.get_response(request)
        problem = InputHygieneMiddleware.problem(request)
        if problem:
            return self.get_response(request)  # refused by the full chain, as before
        request.metrics_route = ROUTE
        kwargs = {"source": match["source"], "z": int(match["z"])}
        kwargs.update(x=int(match["x"]), y=int(match["y"]))
        try:
            return self.view(request, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            from geoportal.replica_middleware import answer_from_primary

            view = (self.view, (), kwargs)
            return answer_from_primary(request, exc, view) or database_unavailable(request)
