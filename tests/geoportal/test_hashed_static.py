"""Production static files: `collectstatic` with the hashed manifest storage into a tmp
folder (DEBUG off), then every page's scripts, styles and the ES modules they import,
fetched by the names the pages give, must load; hashed files are cached a year."""

import gzip
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from frontend import pwa

NODE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules"
# The npm files the pages use (the whole node_modules takes minutes to hash).
VENDOR = [
    "leaflet/dist",
    "leaflet.markercluster/dist",
    "leaflet.vectorgrid/dist",
    "workbox-sw/build",
]
PAGES = ["/", "/report/", "/transparency/", "/offline/"]
STATIC_REF = re.compile(r'(?:src|href)="(/static/[^"]+)"')
MODULE_IMPORT = re.compile(r'(?:from|import)\s*"(\./[^"]+)"')
HASHED = re.compile(r"\.[0-9a-f]{12}\.(?:js|css|png)$")
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.fixture(scope="module")
def production_static(tmp_path_factory):
    vendor = tmp_path_factory.mktemp("vendor")
    for part in VENDOR:
        (vendor / part).parent.mkdir(parents=True, exist_ok=True)
        (vendor / part).symlink_to(NODE / part)
    root = tmp_path_factory.mktemp("static")
    storage = {"BACKEND": "geoportal.static_storage.HashedStaticFilesStorage"}
    with override_settings(
        DEBUG=False,
        STATIC_ROOT=root,
        STATICFILES_DIRS=[("vendor", vendor)],
        STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}, "staticfiles": storage},
    ):  # fmt: skip
        # Django admin's and DRF's files are not on these pages (and slow to compress).
        ignore = ["admin", "rest_framework", "gis"]
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ignore)
        pwa._cached_precache.cache_clear()
        yield root
    pwa._cached_precache.cache_clear()


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_every_script_and_module_of_a_page_loads_by_its_hashed_name(production_static, page):
    client = Client()
    html = client.get(page).content.decode()
    config = json.loads(re.search(r'id="komin-config"[^>]*>(.*?)</script>', html, re.S)[1])
    queue = [*STATIC_REF.findall(html), config["vectorgrid"]]
    seen = set()
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response, body = _get(client, url)
        assert response.status_code == 200, url
        assert HASHED.search(url), f"{url} is not hashed"
        if url.endswith(".js") and "/frontend/js/" in url:
            queue += [urljoin(url, found) for found in MODULE_IMPORT.findall(body.decode())]
    assert any("/frontend/js/" in url for url in seen) or page == "/offline/"
    assert any("/frontend/js/core." in url for url in seen) or page == "/offline/"


@pytest.mark.django_db
def test_hashed_files_are_cached_a_year_and_served_compressed(production_static):
    client = Client()
    html = client.get("/").content.decode()
    core = next(u for u in STATIC_REF.findall(html) if "/frontend/js/offline." in u)
    response = client.get(core, **GZIP)
    assert response["Cache-Control"] == "max-age=31536000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)).startswith(b"//")
    # The unhashed name still answers (an old page in a cache), but not for a year.
    plain = client.get("/static/frontend/js/offline.js")
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]


@pytest.mark.django_db
def test_the_service_worker_precaches_the_hashed_names(production_static):
    client = Client()
    worker = client.get("/sw.js").content.decode()
    urls = re.findall(r'"url":\s*"(/static/[^"]+)"', worker)
    assert any("/frontend/js/report-form." in url for url in urls)
    for url in urls + re.findall(r'importScripts\("([^"]+)"\)', worker):
        assert HASHED.search(url), url
        assert client.get(url).status_code == 200, url
