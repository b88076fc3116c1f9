"""/tiles/{source}/{z}/{x}/{y}.pbf and /tiles/{source}.json (TileJSON 3.0).

TileJSON's tile URL template carries the source's data version (`?v=`): a changed layer
gets new tile URLs, so a tile asked with the current version can be kept by any cache for
a day (a week by shared caches); one asked without it, or with an old one, for a minute."""

import json
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from rest_framework.exceptions import APIException, ValidationError

from geoportal.api import error_response, read_only
from geoportal.http_cache import body_etag, matching_tag, not_modified, policy
from layers import conf
from layers.tiles import registry
from layers.tiles.build import MAX_ZOOM, cached_tile, etag, render_guarded

MVT = "application/vnd.mapbox-vector-tile"
CACHE_CONTROL = policy(max_age=60, s_maxage=300, stale=300)
PINNED_CACHE_CONTROL = policy(max_age=86400, s_maxage=7 * 86400, stale=86400)
TILEJSON_CACHE_CONTROL = policy(max_age=60, s_maxage=60)
VERSION_PARAM = "v"


def _source(name: str, params=None):
    source = registry.get(name)
    if source is None or not source.public:
        return None
    if source.for_request is not None and params:
        source = source.for_request(params)
    return source


def _empty(status: int) -> HttpResponse:
    response = HttpResponse(status=status)
    del response["Content-Type"]
    return response


def _tile(body: bytes) -> HttpResponse:
    """A tile's 200 with its length: without it gunicorn sends the body chunked (more
    bytes, and a client or cache cannot tell the size before the end)."""
    response = HttpResponse(body, content_type=MVT)
    response["Content-Length"] = str(len(body))
    return response


def _headers(response, tag: str, pinned: bool = False):
    response["ETag"] = tag
    response["Cache-Control"] = PINNED_CACHE_CONTROL if pinned else CACHE_CONTROL
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _refused(exc: APIException):
    """A bad `generation`/`date` in the same error format as the API."""
    if isinstance(exc, ValidationError):
        detail = "; ".join(
            f"{name}: {' '.join(map(str, msgs))}" for name, msgs in exc.detail.items()
        )
        return error_response(400, "invalid", detail)
    return error_response(exc.status_code, exc.default_code, str(exc.detail))


def _in_one_query(request, name: str, z: int, x: int, y: int):
    """A tile whose source checks its own freshness (layers), built in the same query as
    that check, when nothing else needs the version first: no If-None-Match to answer and
    no tile cache to key. None: the full path below answers (a changed or unknown source,
    a zoom or address it refuses, a 304, the cache)."""
    if "HTTP_IF_NONE_MATCH" in request.META or conf.tile_cache_seconds() > 0:
        return None
    found = registry.peek(name)
    if (
        found is None
        or not found.public
        or not found.min_zoom <= z <= min(found.max_zoom, MAX_ZOOM)
    ):
        return None
    if x >= 1 << z or y >= 1 << z:
        return None
    body = render_guarded(found, z, x, y)
    if body is None:
        return None
    version = found.version()
    pinned = request.GET.get(VERSION_PARAM) == str(version)
    tag = etag(found, version, z, x, y)
    if not body:
        return _headers(_empty(204), tag, pinned)
    return _headers(_tile(body), tag, pinned)


@read_only
def tile(request, source: str, z: int, x: int, y: int):
    answered = _in_one_query(request, source, z, x, y)
    if answered is not None:
        return answered
    try:
        found = _source(source, request.GET)
    except APIException as exc:
        return _refused(exc)
    if found is None:
        return error_response(404, "not_found", f"No tile source {source!r}.")
    if z > MAX_ZOOM:
        return error_response(400, "invalid", f"z={z} is beyond the maximum zoom {MAX_ZOOM}.")
    if x >= 1 << z or y >= 1 << z:
        return error_response(
            400, "invalid", f"x={x}, y={y} is outside zoom {z} (0 to {(1 << z) - 1})."
        )
    version = found.version()
    tag = etag(found, version, z, x, y)
    pinned = request.GET.get(VERSION_PARAM) == str(version)
    seen = matching_tag(request, tag)
    if seen is not None:
        return _headers(_empty(304), seen.removeprefix("W/"), pinned)
    if z < found.min_zoom or z > found.max_zoom:
        return _headers(_empty(204), tag, pinned)
    body = cached_tile(found, version, z, x, y)
    if not body:
        return _headers(_empty(204), tag, pinned)
    return _headers(_tile(body), tag, pinned)


def bounds(source) -> list[float]:
    """The data's extent when the source can tell it (cached per version), else the
    source's declared bounds."""
    if source.extent is None:
        return list(source.bounds)
    key = f"tile-extent:{source.name}:{source.version()}"
    found = cache.get(key)
    if found is None:
        found = source.extent() or list(source.bounds)
        cache.set(key, found, 3600)
    return found


@read_only
def tilejson(request, source: str):
    try:
        found = _source(source, request.GET)
    except APIException as exc:
        return _refused(exc)
    if found is None:
        return error_response(404, "not_found", f"No tile source {source!r}.")
    query = {k: v for k, v in request.GET.items() if k != VERSION_PARAM}
    if found.for_request is None:
        query = {}
    query[VERSION_PARAM] = str(found.version())
    url = request.build_absolute_uri(f"/tiles/{found.name}/") + "{z}/{x}/{y}.pbf"
    url += "?" + urlencode(query)
    body = {
        "tilejson": "3.0.0",
        "name": found.title,
        "description": found.description,
        "version": "1.0.0",
        "attribution": found.attribution,
        "scheme": "xyz",
        "tiles": [url],
        "minzoom": found.min_zoom,
        "maxzoom": found.max_zoom,
        "bounds": bounds(found),
        "vector_layers": [
            {
                "id": found.mvt_layer,
                "fields": found.fields,
                "minzoom": found.min_zoom,
                "maxzoom": found.max_zoom,
            }
        ],
    }
    tag = body_etag(json.dumps(body, sort_keys=True).encode())
    response = JsonResponse(body)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = TILEJSON_CACHE_CONTROL
    seen = matching_tag(request, tag)
    if seen is not None:
        return not_modified(seen.removeprefix("W/"), response)
    response["ETag"] = tag
    return response


@read_only
def catalogue(request):
    return JsonResponse(
        {
            "sources": [
                {
                    "name": s.name,
                    "title": s.title,
                    "tilejson": request.build_absolute_uri(f"/tiles/{s.name}.json"),
                    "minzoom": s.min_zoom,
                }
                for s in registry.all_sources()
                if s.public
            ]
        }
    )
