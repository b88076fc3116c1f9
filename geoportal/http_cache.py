"""HTTP caching of what anyone may read, so that nginx, a CDN or a browser can keep it.

- Public GeoJSON (areas, reports, layer features) and OGC API answers to anonymous
  clients: `Cache-Control: public, max-age, s-maxage` (shared caches keep them longer
  than browsers), and a strong `ETag` (a hash of the body) on answers that are not
  streamed; `If-None-Match` then gets a 304. An answer to a signed-in user or a token
  may hold staff-only data: `private, no-cache`, never stored by a shared cache.
- Tiles and TileJSON set their own (layers/tiles/views.py), keyed by the data's version.
- A gzipped answer is another representation: its strong ETag gets `-gzip`
  (geoportal/compression.py), where Django's middleware would have made it weak.

Seconds: KOMIN_HTTP_MAX_AGE (60, browsers) and KOMIN_HTTP_S_MAXAGE (300, shared caches);
the public reports GeoJSON 0 and 30 (a citizen expects to see the report just filed)."""

import hashlib
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers

GZIP_SUFFIX = "-gzip"
PUBLIC_PATHS = re.compile(
    r"^/(ogc(/.*)?|api/v1/areas/.*|api/v1/reports/geojson/|api/v1/layers/[^/]+/features/)$"
)
# Reports change by the minute and a citizen expects to see theirs: browsers revalidate
# (a 304 when nothing changed), shared caches keep them half a minute.
FRESH_PATHS = re.compile(r"^/api/v1/reports/geojson/$")
_ENTRY = re.compile(r'\s*(W/)?("[^"]*")\s*,?')


def policy(*, max_age: int, s_maxage: int, stale: int = 60) -> str:
    return (
        f"public, max-age={max_age}, s-maxage={s_maxage}, "
        f"stale-while-revalidate={stale}, stale-if-error=86400"
    )


def default_policy() -> str:
    return policy(max_age=settings.KOMIN_HTTP_MAX_AGE, s_maxage=settings.KOMIN_HTTP_S_MAXAGE)


def body_etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _base(tag: str) -> str:
    """The representation-independent form of an ETag: "x-gzip" and "x" are one version."""
    if tag.endswith(GZIP_SUFFIX + '"'):
        return tag[: -len(GZIP_SUFFIX) - 1] + '"'
    return tag


def matching_tag(request, tag: str) -> str | None:
    """The entry of If-None-Match that names this version (weak comparison, RFC 9110
    13.1.2), or None."""
    header = request.headers.get("If-None-Match", "")
    if header.strip() == "*":
        return tag
    for _weak, entry in _ENTRY.findall(header):
        if _base(entry) == _base(tag):
            return entry
    return None


def not_modified(tag: str, response: HttpResponse | None = None) -> HttpResponseNotModified:
    answer = HttpResponseNotModified()
    answer["ETag"] = tag
    for header in ("Cache-Control", "Vary", "Access-Control-Allow-Origin"):
        if response is not None and response.has_header(header):
            answer[header] = response[header]
    return answer


def _anonymous(request) -> bool:
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    return not signed_in and "HTTP_AUTHORIZATION" not in request.META


class PublicCacheMiddleware:
    """Between compression (outside) and the views: sees the plain body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or response.has_header("Cache-Control")
            or not PUBLIC_PATHS.match(request.path)
        ):
            return response
        if not _anonymous(request):
            response["Cache-Control"] = "private, no-cache"
            return response
        fresh = FRESH_PATHS.match(request.path)
        response["Cache-Control"] = policy(max_age=0, s_maxage=30) if fresh else default_policy()
        # A token holder must not get the anonymous copy from a shared cache, nor leave one.
        patch_vary_headers(response, ["Authorization"])
        if not response.streaming and not response.has_header("ETag"):
            response["ETag"] = body_etag(response.content)
        if response.has_header("ETag"):
            found = matching_tag(request, response["ETag"])
            if found is not None:
                return not_modified(found.removeprefix("W/"), response)
        return response
