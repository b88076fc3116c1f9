"""/tiles/{source}/{z}/{x}/{y}.pbf and /tiles/{source}.json (TileJSON 3.0)."""

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from rest_framework.exceptions import APIException, ValidationError

from geoportal.api import error_response, read_only
from layers.tiles import registry
from layers.tiles.build import MAX_ZOOM, cached_tile, etag

MVT = "application/vnd.mapbox-vector-tile"
CACHE_CONTROL = "public, max-age=60, stale-while-revalidate=300"


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


def _headers(response, tag: str):
    response["ETag"] = tag
    response["Cache-Control"] = CACHE_CONTROL
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


@read_only
def tile(request, source: str, z: int, x: int, y: int):
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
    if tag in request.headers.get("If-None-Match", ""):
        return _headers(_empty(304), tag)
    if z < found.min_zoom or z > found.max_zoom:
        return _headers(_empty(204), tag)
    body = cached_tile(found, version, z, x, y)
    if not body:
        return _headers(_empty(204), tag)
    return _headers(HttpResponse(body, content_type=MVT), tag)


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
    url = request.build_absolute_uri(f"/tiles/{found.name}/") + "{z}/{x}/{y}.pbf"
    if found.for_request is not None and request.GET:
        url += "?" + request.GET.urlencode()
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
    response = JsonResponse(body)
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = CACHE_CONTROL
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
