"""Every page carries a Content-Security-Policy that allows no inline script or style,
and no page needs one; the admin's map widget loads nothing from another host."""

from html.parser import HTMLParser

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from layers.models import AdminArea, Feature, Layer
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


class Inline(HTMLParser):
    """Collects what a strict CSP would refuse and every resource URL a page loads."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self.resources: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            data_only = attrs.get("type") == "application/json"
            if not attrs.get("src") and not data_only:
                self.problems.append("inline <script>")
            self._in_script = not attrs.get("src") and not data_only
        if tag == "style":
            self.problems.append("<style> element")
        if "style" in attrs:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} handler on <{tag}>" for name in attrs if name.startswith("on")]
        if tag in ("script", "img", "iframe") and attrs.get("src"):
            self.resources.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.resources.append(attrs["href"])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def check_page(client, path: str) -> Inline:
    response = client.get(path)
    assert response.status_code in (200, 404), (path, response.status_code)
    policy = response.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
    assert "frame-ancestors 'none'" in policy, path
    assert "geolocation=(self)" in response.headers.get("Permissions-Policy", ""), path
    assert response.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", path
    parser = Inline()
    parser.feed(response.content.decode())
    assert parser.problems == [], (path, parser.problems)
    return parser


def test_public_pages_have_a_csp_and_no_inline_script_or_style(haiti):
    client = Client()
    for path in ("/", "/report/", "/transparency/", "/login/", "/r/HT-2026-000999/", "/nowhere/"):
        check_page(client, path)
    for path in ("/api/v1/categories/", "/api/docs/?script="):
        assert "script-src 'self'" in client.get(path).headers["Content-Security-Policy"]


def test_staff_pages_and_the_api_docs_have_no_inline_script_or_style(people, make_report):
    report = make_report()
    crew = Client()
    crew.force_login(people["crew"])
    planner = Client()
    planner.force_login(people["planner"])
    check_page(crew, "/crew/")
    check_page(crew, f"/crew/{report.reference}/")
    check_page(planner, "/dashboard/")
    docs = check_page(Client(), "/api/docs/")
    assert any("script=" in url for url in docs.resources)  # its start-up script, by URL


def test_admin_change_pages_with_maps_load_nothing_from_another_host(people, make_report):
    report = make_report()
    layer = Layer.objects.create(slug="taps", title="Taps", geometry_type="Point")
    feature = Feature.objects.create(layer=layer, geom=Point(*f.PAP, srid=4326))
    section = AdminArea.objects.filter(level="section").order_by("pcode").first()
    check_page(Client(), "/admin/login/")
    admin = Client()
    admin.force_login(people["administrator"])
    check_page(admin, "/admin/")
    for path in (
        f"/admin/reports/report/{report.pk}/change/",
        f"/admin/layers/feature/{feature.pk}/change/",
        "/admin/layers/feature/add/",
        f"/admin/layers/adminarea/{section.pk}/change/",
    ):
        page = check_page(admin, path)
        assert "/static/vendor/ol/dist/ol.js" in page.resources, path
        outside = [url for url in page.resources if "//" in url]
        assert outside == [], (path, outside)


def test_the_basemap_origin_is_the_only_other_image_source(settings):
    settings.KOMIN_BASEMAP_URL = "https://{s}.tiles.example.org/osm/{z}/{x}/{y}.png"
    policy = Client().get("/login/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: blob: https://*.tiles.example.org;" in policy
    assert policy.count("example.org") == 1
