"""The installable, offline-capable app: web app manifest, service worker (Workbox from
npm, served from our static files) and the tiles of an area to keep for offline use.

The service worker is served from the site's root (scope "/") and never cached long
(`no-cache`): a new release reaches phones at their next visit. Its precache list names
the app shell (our scripts and styles, Leaflet, the translations) with a content hash
each, so the worker script changes, and the phone refreshes its copy, whenever one of
them does."""

import hashlib
import json
import math
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.exceptions import ValidationError

from geoportal.api import error_response
from geoportal.params import query_bbox
from layers.models import AdminArea
from layers.selectors.generations import current_generation_id
from layers.tiles import registry as tile_registry
from layers.tiles.views import VERSION_PARAM

WORKBOX = "7.3.0"
# Scripts and styles every page needs, and the libraries it loads on demand.
SHELL_STATIC = [
    "vendor/leaflet/dist/leaflet.css",
    "vendor/leaflet/dist/leaflet.js",
    "vendor/leaflet/dist/images/marker-icon.png",
    "vendor/leaflet/dist/images/marker-shadow.png",
    "vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js",
    "vendor/leaflet.markercluster/dist/leaflet.markercluster.js",
    "vendor/leaflet.markercluster/dist/MarkerCluster.css",
    "vendor/leaflet.markercluster/dist/MarkerCluster.Default.css",
    "frontend/css/app.css",
    "frontend/icons/icon-192.png",
]
SHELL_MODULES = "frontend/js"
# The planners' dashboard is online work: its modules are not worth a phone's 3G bytes.
NOT_OFFLINE = {"dashboard.js", "draw.js"}
# Pages kept for offline use at install (each refreshed from the network when online).
SHELL_PAGES = ["/", "/report/", "/offline/"]
LANGS = ("fr", "ht", "en")
# Boundary tiles kept for a commune: communes then sections, as the map draws them.
AREA_ZOOMS = {"areas-commune": range(9, 11), "areas-section": range(11, 15)}
AREA_MAX_TILES = 400


def _hash(path: str) -> str:
    found = finders.find(path)
    if not found:
        return "missing"
    with open(found, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:16]


@lru_cache(maxsize=1)
def _cached_precache() -> tuple:
    return tuple(_precache())


def precache() -> list[dict]:
    """[{url, revision}] of the app shell; computed once per process outside DEBUG."""
    return list(_cached_precache()) if not settings.DEBUG else _precache()


def _precache() -> list[dict]:
    paths = list(SHELL_STATIC)
    modules = finders.find(SHELL_MODULES)
    if modules:
        paths += sorted(
            f"{SHELL_MODULES}/{p.name}"
            for p in Path(modules).glob("*.js")
            if p.name not in NOT_OFFLINE
        )
    entries = [{"url": staticfiles_storage.url(p), "revision": _hash(p)} for p in paths]
    catalogue = hashlib.sha256()
    for lang in LANGS:
        for base in settings.LOCALE_PATHS:
            mo = base / lang / "LC_MESSAGES" / "djangojs.mo"
            if mo.exists():
                catalogue.update(mo.read_bytes())
    entries += [
        {"url": f"/jsi18n/?lang={lang}", "revision": catalogue.hexdigest()[:16]} for lang in LANGS
    ]
    return entries


@require_GET
def manifest(request):
    icons = [
        {
            "src": staticfiles_storage.url(f"frontend/icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    body = {
        "name": "Komin",
        "short_name": "Komin",
        "description": _("Report a problem in your commune and follow its repair."),
        "lang": (request.LANGUAGE_CODE or "fr")[:2],
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#14532d",
        "icons": icons,
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_GET
def service_worker(request):
    workbox = staticfiles_storage.url("vendor/workbox-sw/build/workbox-sw.js")
    response = render(
        request,
        "frontend/sw.js",
        {
            "workbox": workbox,
            "vendor": staticfiles_storage.url("vendor/"),
            "outbox": staticfiles_storage.url("frontend/js/outbox-store.js"),
            # Our own static paths and page paths only: nothing a client wrote.
            "precache": json.dumps(precache()),
            "pages": json.dumps(SHELL_PAGES),
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Browsers check for a new worker on navigation; never from a long-lived cache.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline_page(request):
    """Shown for a page never visited on this phone while it has no network."""
    from frontend.views import _page

    return _page(request, "frontend/offline.html", page="offline")


def tile_range(box: tuple[float, float, float, float], zoom: int) -> list[tuple[int, int]]:
    """The (x, y) of the web-mercator tiles that cover a lon/lat box at a zoom."""
    west, south, east, north = box
    n = 2**zoom

    def x_of(lon: float) -> int:
        return min(n - 1, max(0, int((lon + 180) / 360 * n)))

    def y_of(lat: float) -> int:
        lat = max(-85.05, min(85.05, lat))
        rad = math.radians(lat)
        return min(n - 1, max(0, int((1 - math.asinh(math.tan(rad)) / math.pi) / 2 * n)))

    return [
        (x, y)
        for x in range(x_of(west), x_of(east) + 1)
        for y in range(y_of(north), y_of(south) + 1)
    ]


@require_GET
def offline_area(request):
    """GET /offline/area/?pcode=HT0111[,HT0112] or ?bbox=w,s,e,n: the boundary tile URLs
    of these areas (a crew's tickets: their box) for the service worker to keep; the
    closest zooms are dropped when the list would pass AREA_MAX_TILES."""
    try:
        box = query_bbox(request.GET)
    except ValidationError as exc:
        return error_response(400, "invalid", f"bbox: {exc.detail['bbox'][0]}")
    pcodes = [p.strip() for p in request.GET.get("pcode", "").split(",") if p.strip()][:20]
    if box is None and not pcodes:
        return error_response(400, "invalid", "Give pcode (area P-codes) or bbox (w,s,e,n).")
    if box is None:
        areas = AdminArea.objects.filter(pcode__in=pcodes, generation_id=current_generation_id())
        extents = [a.geom.extent for a in areas]
        if not extents:
            return error_response(404, "not_found", f"pcode: no area {', '.join(pcodes)}.")
        box = (
            min(e[0] for e in extents),
            min(e[1] for e in extents),
            max(e[2] for e in extents),
            max(e[3] for e in extents),
        )
    urls: list[str] = []
    for source, zooms in AREA_ZOOMS.items():
        version = _version_query(source)
        for zoom in zooms:
            tiles = tile_range(tuple(box), zoom)
            if len(urls) + len(tiles) > AREA_MAX_TILES:
                break
            urls += [f"/tiles/{source}/{zoom}/{x}/{y}.pbf{version}" for x, y in tiles]
    # The TileJSONs too: offline, the map builds its tile URLs from them (frontend/js/tiles.js).
    return JsonResponse({"bbox": list(box), "tiles": [*TILEJSONS, *urls]})


TILEJSONS = [f"/tiles/{source}.json" for source in AREA_ZOOMS]


def _version_query(name: str) -> str:
    """The `?v=` the source's TileJSON puts in its tile URLs, so that the tiles kept are the
    ones the map asks for."""
    source = tile_registry.get(name)
    return "?" + urlencode({VERSION_PARAM: str(source.version())}) if source else ""
