"""gzip by Accept-Encoding for what machines read (API, GeoJSON, OGC, tiles, Open311),
never for HTML pages or writes; static files served from their precompressed copies;
tiles free of `Vary: Accept-Language`."""

import gzip
import json
import os
import time

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


def raw(response) -> bytes:
    """The bytes on the wire (read once: a streamed body is consumed)."""
    if not hasattr(response, "_wire"):
        response._wire = (
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    return response._wire


def body(response) -> bytes:
    wire = raw(response)
    return gzip.decompress(wire) if response.get("Content-Encoding") == "gzip" else wire


def vary(response) -> set[str]:
    return {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/areas/?level=departement",
        "/api/v1/layers/schools/features/?limit=50",  # streamed
        "/ogc/collections/schools/items?limit=50",
        "/ogc/api",
        "/tiles/areas-commune/8/76/114.pbf",
    ],
)
def test_machine_responses_are_gzipped_when_accepted(haiti, url):
    client = Client()
    plain = client.get(url)
    packed = client.get(url, **GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(packed) and "accept-encoding" in vary(plain)
    assert len(raw(packed)) < len(body(plain))
    if url.endswith(".pbf"):
        assert body(packed) == body(plain)
    else:
        assert json.loads(body(packed)) == json.loads(body(plain)) or url.startswith("/ogc/c")


def test_a_gzipped_tile_still_answers_304_to_its_etag(haiti):
    client = Client()
    url = "/tiles/areas-commune/8/76/114.pbf"
    first = client.get(url, **GZIP)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **GZIP)
    assert again.status_code == 304


def test_pages_and_writes_are_not_compressed(haiti):
    client = Client()
    assert "Content-Encoding" not in client.get("/", **GZIP)
    write = client.post("/api/v1/auth/token/", {"username": "x", "password": "y"}, **GZIP)
    assert write.status_code == 400 and "Content-Encoding" not in write


def test_tiles_do_not_vary_by_language(haiti):
    response = Client().get("/tiles/areas-commune/8/76/114.pbf", HTTP_ACCEPT_LANGUAGE="ht")
    assert response.status_code == 200
    assert "accept-language" not in vary(response)
    tilejson = Client().get("/tiles/areas-commune.json", HTTP_ACCEPT_LANGUAGE="ht")
    assert "accept-language" not in vary(tilejson)


def test_collected_static_files_are_served_precompressed(settings, tmp_path):
    from django.contrib.staticfiles import finders

    source = finders.find("frontend/js/core.js")
    collected = tmp_path / "frontend" / "js" / "core.js"
    collected.parent.mkdir(parents=True)
    text = open(source, "rb").read()
    collected.write_bytes(text)
    (tmp_path / "frontend" / "js" / "core.js.gz").write_bytes(gzip.compress(text))
    settings.STATIC_ROOT = tmp_path
    response = Client().get("/static/frontend/js/core.js", **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "accept-encoding" in vary(response)
    served = b"".join(response.streaming_content)
    assert gzip.decompress(served) == text


def test_a_source_changed_after_collectstatic_is_served_fresh(settings, tmp_path):
    from django.contrib.staticfiles import finders

    source = finders.find("frontend/js/core.js")
    stale = tmp_path / "frontend" / "js" / "core.js"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"// stale copy")
    (tmp_path / "frontend" / "js" / "core.js.gz").write_bytes(gzip.compress(b"// stale copy"))
    old = time.time() - 3600
    os.utime(stale, (old, old))
    os.utime(source, None)  # the source is newer than the collected copy
    settings.STATIC_ROOT = tmp_path
    response = Client().get("/static/frontend/js/core.js", **GZIP)
    served = b"".join(response.streaming_content)
    assert served == open(source, "rb").read()


def test_brotli_copies_are_preferred_when_the_client_accepts_them(settings, tmp_path):
    import brotli
    from django.contrib.staticfiles import finders

    text = open(finders.find("frontend/js/core.js"), "rb").read()
    collected = tmp_path / "frontend" / "js" / "core.js"
    collected.parent.mkdir(parents=True)
    collected.write_bytes(text)
    (tmp_path / "frontend" / "js" / "core.js.br").write_bytes(brotli.compress(text))
    (tmp_path / "frontend" / "js" / "core.js.gz").write_bytes(gzip.compress(text))
    settings.STATIC_ROOT = tmp_path
    response = Client().get("/static/frontend/js/core.js", **GZIP)
    assert response["Content-Encoding"] == "br"
    assert brotli.decompress(b"".join(response.streaming_content)) == text
