"""The installable app's server side: manifest and icons, the service worker's script,
scope and caching, its precache list, the offline page and the tiles kept for an area."""

import io
import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from frontend.pwa import AREA_MAX_TILES, tile_range

pytestmark = pytest.mark.django_db


def test_the_manifest_names_the_app_and_its_png_icons(client):
    response = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="ht")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert (manifest["scope"], manifest["display"], manifest["lang"]) == ("/", "standalone", "ht")
    assert manifest["description"] == "Siyale yon pwoblèm nan komin ou epi swiv reparasyon li."
    sizes = set()
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        with Image.open(path) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
            sizes.add(image.width)
    assert {192, 512} <= sizes
    assert 'rel="manifest" href="/manifest.webmanifest"' in client.get("/").content.decode()


def test_the_service_worker_is_served_at_the_root_never_cached_long(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    script = response.content.decode()
    # Workbox and the outbox from our own static files, no CDN.
    imports = re.findall(r'importScripts\("([^"]+)"\)', script)
    assert imports and all(finders.find(url.removeprefix("/static/")) for url in imports)
    assert "googleapis" not in script and "cdn" not in script


def test_the_precache_names_existing_files_with_their_revision_and_every_translation(client):
    script = client.get("/sw.js").content.decode()
    entries = json.loads(re.search(r"precacheAndRoute\((\[.*?\])\);", script, re.S).group(1))
    urls = [e["url"] for e in entries]
    for entry in entries:
        if entry["url"].startswith("/static/"):
            assert finders.find(entry["url"].removeprefix("/static/")), entry
            assert re.fullmatch(r"[0-9a-f]{16}", entry["revision"]), entry
    assert {"/jsi18n/?lang=fr", "/jsi18n/?lang=ht", "/jsi18n/?lang=en"} <= set(urls)
    assert "/static/frontend/js/report-form.js" in urls
    assert "/static/vendor/leaflet/dist/leaflet.js" in urls
    assert "/static/frontend/js/outbox-store.js" in urls


def test_the_offline_page_is_a_page_of_the_app(client):
    response = client.get("/offline/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Pas de réseau</h1>" in html and 'href="/report/"' in html


def test_tile_range_covers_a_box():
    assert tile_range((-72.35, 18.5, -72.30, 18.55), 10) == [(306, 458)]
    assert len(tile_range((-72.35, 18.5, -72.30, 18.55), 14)) == 3 * 4  # 3 columns, 4 rows


def test_the_tiles_of_a_commune_to_keep_offline(client, haiti):
    body = client.get("/offline/area/", {"pcode": "HT0111"}).json()
    tiles = body["tiles"]
    assert 0 < len(tiles) <= AREA_MAX_TILES
    version = client.get("/tiles/areas-commune.json").json()["tiles"][0].split("?")[1]
    assert f"/tiles/areas-commune/10/306/458.pbf?{version}" in tiles  # what the map asks for
    assert any(t.startswith("/tiles/areas-section/14/") and "?v=" in t for t in tiles)
    assert "/tiles/areas-section.json" in tiles  # the map builds its tile URLs from it
    assert body["bbox"][0] < -72.3 < body["bbox"][2]
    # A crew's tickets: their box.
    boxed = client.get("/offline/area/", {"bbox": "-72.35,18.5,-72.30,18.55"}).json()
    assert len(boxed["tiles"]) < len(tiles)


@pytest.mark.parametrize(
    "params, status, words",
    [
        ({}, 400, "pcode"),
        ({"pcode": "HT9999"}, 404, "HT9999"),
        ({"bbox": "1,2,3"}, 400, "bbox"),
    ],
)
def test_bad_area_requests_are_refused_naming_the_problem(client, haiti, params, status, words):
    response = client.get("/offline/area/", params)
    assert response.status_code == status
    assert words in response.json()["detail"]


def test_the_icons_script_draws_what_is_committed():
    from scripts.make_icons import icon

    drawn = io.BytesIO()
    icon(192).save(drawn, "PNG")
    with Image.open(finders.find("frontend/icons/icon-192.png")) as committed:
        assert committed.size == (192, 192)
        assert Image.open(drawn).convert("RGBA").tobytes() == committed.convert("RGBA").tobytes()
