"""Marks the requests whose reads may go to a replica, pins a client that just wrote to
the primary, and answers from the primary when a replica fails during a request."""

import hashlib
import logging
import re
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connections

from geoportal import replicas
from geoportal.db_router import replica_allowed
from geoportal.errors import database_unavailable
from geoportal.limits.clients import client_address

log = logging.getLogger(__name__)
SAFE = ("GET", "HEAD")
DEFAULT_PATHS = (
    r"^/tiles/",
    r"^/ogc(/|$)",
    r"^/api/v1/layers/[^/]+/features/$",
    r"^/api/v1/reports/geojson/$",
    r"^/api/v1/areas/",
    r"^/api/v1/analytics/",
    r"^/stats/$",
    r"^/search/$",
    r"^/$",
    r"^/transparency/$",
    r"^/c/[^/]+/(transparency/)?$",
)


@lru_cache(maxsize=4)
def _paths(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def stale_ok_path(path: str) -> bool:
    patterns = tuple(getattr(settings, "KOMIN_REPLICA_PATHS", None) or DEFAULT_PATHS)
    return bool(_paths(patterns).match(path))


def _pin_keys(request) -> list[str]:
    """Every identity the client may come back with: its token, its session, its
    address (a citizen filing a report anonymously)."""
    found = [f"address:{client_address(request)}"]
    auth = request.META.get("HTTP_AUTHORIZATION")
    if auth:
        found.append("auth:" + hashlib.sha256(auth.encode()).hexdigest()[:32])
    session = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session:
        found.append("session:" + hashlib.sha256(session.encode()).hexdigest()[:32])
    return [f"komin:wrote:{key}" for key in found]


def pinned(request) -> bool:
    try:
        return bool(cache.get_many(_pin_keys(request)))
    except DatabaseError:  # the cache table unreachable: read where the writes are
        return True


def pin(request) -> None:
    """Never fails the request: the write it follows is committed, and its answer
    must reach the client (a lost pin costs at worst a stale read)."""
    seconds = int(getattr(settings, "KOMIN_READ_YOUR_WRITES_SECONDS", 10))
    if seconds > 0:
        try:
            cache.set_many(dict.fromkeys(_pin_keys(request), 1), seconds)
        except DatabaseError:
            log.warning("read-your-writes: could not pin a client to the primary")


class ReplicaRoutingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas.aliases():
            replica_allowed.set(False)
            return self.get_response(request)
        allowed = (
            request.method in SAFE and stale_ok_path(request.path_info) and not pinned(request)
        )
        replica_allowed.set(allowed)
        response = self.get_response(request)
        if request.method not in SAFE and response.status_code < 400:
            pin(request)
        # A streamed body is read after this returns: the flag lasts until it is closed.
        response._resource_closers.append(lambda: replica_allowed.set(False))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        request._komin_view = (view_func, view_args, view_kwargs)

    def process_exception(self, request, exception):
        """A failed replica: the primary answers. The database unreachable: 503."""
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        view = getattr(request, "_komin_view", None)
        return answer_from_primary(request, exception, view) or database_unavailable(request)


def answer_from_primary(request, exception, view):
    """A replica that failed mid-request (stopped since its last check): skip it and
    answer the request again from the primary. None when that does not apply."""
    if not replica_allowed.get() or view is None:
        return None
    if not isinstance(exception, OperationalError | InterfaceError):
        return None
    for alias in replicas.aliases():
        if _broken(alias):
            replicas.mark_down(alias)
    replica_allowed.set(False)
    view_func, args, kwargs = view
    return view_func(request, *args, **kwargs)


def _broken(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
        return False
    except (OperationalError, InterfaceError):
        return True
