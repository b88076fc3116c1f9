"""Tiles skip the middleware they do not need.

A tile is the same for everyone: no session, no user, no CSRF token, no language, no
messages, no rate limit (tiles are not limited). Placed before SessionMiddleware, this
answers GET and HEAD of /tiles/{source}/{z}/{x}/{y}.pbf by calling the tile view
directly, after the checks that still apply (control characters in the URL). The
middleware above it (security headers, compression, Vary) still wraps the answer.
Measured by bench/hot_routes.py."""

import re

from django.db import InterfaceError, OperationalError
from django.urls import resolve

from geoportal.errors import database_unavailable
from geoportal.middleware import InputHygieneMiddleware

TILE = re.compile(r"^/tiles/[-\w]+/\d+/\d+/\d+\.pbf$")


class TileFastPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not TILE.match(request.path_info):
            return self.get_response(request)
        problem = InputHygieneMiddleware.problem(request)
        if problem:
            return self.get_response(request)  # refused by the full chain, as before
        match = resolve(request.path_info)
        request.resolver_match = match
        try:
            return match.func(request, *match.args, **match.kwargs)
        except (OperationalError, InterfaceError) as exc:
            from geoportal.replica_middleware import answer_from_primary

            view = (match.func, match.args, match.kwargs)
            return answer_from_primary(request, exc, view) or database_unavailable(request)
