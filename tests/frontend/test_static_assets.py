import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_home_page_serves_leaflet_from_our_own_static_files(client):
    html = client.get("/").content.decode()
    scripts = re.findall(r'src="([^"]+)"', html) + re.findall(r'href="([^"]+\.css)"', html)
    assert "/static/vendor/leaflet/dist/leaflet.js" in scripts
    # Everything from this server (our static files and the JavaScript catalogue).
    assert all(url.startswith("/") and not url.startswith("//") for url in scripts), scripts
    assert "/jsi18n/?lang=fr" in scripts
    assert finders.find("vendor/leaflet/dist/leaflet.js"), "npm install did not run"


def test_home_page_shows_the_credits_of_the_data_loaded(client, haiti):
    html = client.get("/").content.decode()
    assert "CNIGS / OCHA (HDX COD-AB)" in html
    assert "IHSI / UNFPA" in html
    assert "rasterstats" not in html  # catalogued for tests, not loaded


def test_api_docs_load_swagger_ui_locally(client):
    html = client.get("/api/docs/").content.decode()
    assert "/static/vendor/swagger-ui-dist/" in html
    assert "cdn." not in html
    assert finders.find("vendor/swagger-ui-dist/swagger-ui-bundle.js")
