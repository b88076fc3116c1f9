"""What shared caches (nginx, a CDN) need: Cache-Control with s-maxage, strong ETags that
stay strong when gzipped and answer If-None-Match with 304, a versioned tile URL template,
gzip negotiated with Vary: Accept-Encoding, and nothing shared from a signed-in answer."""

import re

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from layers.models import Layer
from layers.services.features import feature_create
from tests.layers.test_layer_tiles import get_tile, tile_xy

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}
STRONG = re.compile(r'^"[^"]+"$')

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_tile_cache():
    cache.clear()  # tests roll back their writes, so a layer's version can repeat
    yield
    cache.clear()


def s_maxage(response) -> int:
    return int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))


def test_a_gzipped_tile_keeps_a_strong_etag_and_revalidates_with_it(haiti, api):
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    first = get_tile(api, "schools", z, x, y, **GZIP)
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    tag = first["ETag"]
    assert STRONG.match(tag) and tag.endswith('-gzip"')
    assert "public" in first["Cache-Control"] and s_maxage(first) >= 300
    again = get_tile(api, "schools", z, x, y, HTTP_IF_NONE_MATCH=tag, **GZIP)
    assert again.status_code == 304 and again["ETag"] == tag and again.content == b""
    plain = get_tile(api, "schools", z, x, y)
    assert "Content-Encoding" not in plain and plain["ETag"] == tag.replace("-gzip", "")


def test_a_tile_tells_its_length_plain_and_gzipped(haiti, api, settings):
    """With a Content-Length gunicorn sends the tile as it is, not chunked, and a cache or
    a client on a slow network knows its size before the last byte; on the one-query path
    (tile cache off) as on the cached one."""
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    for seconds in (0, 60):
        settings.KOMIN_TILE_CACHE_SECONDS = seconds
        plain = get_tile(api, "schools", z, x, y)
        assert plain.status_code == 200 and int(plain["Content-Length"]) == len(plain.content)
        zipped = get_tile(api, "schools", z, x, y, **GZIP)
        assert zipped["Content-Encoding"] == "gzip"
        assert int(zipped["Content-Length"]) == len(zipped.content) < len(plain.content)


def test_the_tile_url_template_carries_the_layer_version(haiti, api):
    template = api.get("/tiles/schools.json").json()["tiles"][0]
    feature_create(
        layer=Layer.objects.get(slug="schools"),
        geom=Point(-72.3433, 18.5213, srid=4326),
        attributes={"name": "Nouvelle"},
    )
    changed = api.get("/tiles/schools.json").json()["tiles"][0]
    assert changed != template and "?v=" in changed


def test_a_tile_of_the_current_version_is_cached_long_an_unversioned_one_briefly(haiti, api):
    template = api.get("/tiles/schools.json").json()["tiles"][0]
    version = template.split("?v=")[1]
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    pinned = api.get(f"/tiles/schools/{z}/{x}/{y}.pbf", {"v": version})
    loose = api.get(f"/tiles/schools/{z}/{x}/{y}.pbf", {"v": "0"})
    assert s_maxage(pinned) >= 7 * 86400 > s_maxage(loose) and pinned["ETag"] == loose["ETag"]


def test_tilejson_has_an_etag_and_answers_304(haiti, api):
    first = api.get("/tiles/areas-commune.json", **GZIP)
    assert STRONG.match(first["ETag"]) and s_maxage(first) >= 60
    again = api.get("/tiles/areas-commune.json", HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/areas/?level=departement",
        "/api/v1/reports/geojson/",
        "/ogc/collections",
        "/ogc/collections/areas-departement/items/HT01",
    ],
)
def test_public_geojson_and_ogc_answers_are_shareable_with_strong_etags(haiti, api, path):
    first = api.get(path, **GZIP)
    assert first.status_code == 200
    assert first["Cache-Control"].startswith("public") and s_maxage(first) >= 30
    assert STRONG.match(first["ETag"]) and "Authorization" in first["Vary"]
    if len(first.content) >= 200:  # Django leaves tiny bodies uncompressed, for everyone
        assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    again = api.get(path, HTTP_IF_NONE_MATCH=f'"other", {first["ETag"]}', **GZIP)
    assert again.status_code == 304 and again["ETag"] == first["ETag"]


def test_public_reports_are_revalidated_by_browsers_and_kept_briefly_by_shared_caches(api):
    response = api.get("/api/v1/reports/geojson/")
    assert "max-age=0," in response["Cache-Control"] and s_maxage(response) == 30


def test_a_streamed_features_page_is_shareable_and_gzipped(haiti, api):
    response = api.get("/api/v1/layers/schools/features/?limit=5", **GZIP)
    assert response.streaming and response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"].startswith("public") and s_maxage(response) >= 60


def test_a_signed_in_answer_is_never_shared(haiti, api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("caching-staff"))
    response = api.get("/api/v1/areas/?level=departement")
    assert response["Cache-Control"] == "private, no-cache" and "ETag" not in response
