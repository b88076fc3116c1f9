"""The database unreachable (restarting, failing over) is a 503 with Retry-After in the
route's error format, not a 500; nothing is written."""

import pytest
from django.db import OperationalError

from reports.models import Report
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def down(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_a_report_post_while_the_database_is_down_is_503(api, cat, monkeypatch):
    monkeypatch.setattr("reports.api.views.report_create", down)
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    response = api.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
    assert not Report.objects.exists()


def test_a_tile_while_the_database_is_down_is_503(api, monkeypatch, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 0
    monkeypatch.setattr("layers.tiles.views.cached_tile", down)
    monkeypatch.setattr("layers.tiles.views._source", lambda *a: type("S", (), SOURCE)())
    response = api.get("/tiles/anything/14/1/1.pbf")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"


SOURCE = {
    "version": lambda self: "v1",
    "name": "anything",
    "min_zoom": 0,
    "max_zoom": 22,
}


def test_a_tile_built_in_one_query_while_the_database_is_down_is_503(api, monkeypatch, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 0
    guarded = type("S", (), {**SOURCE, "public": True, "guard": ("", {})})()
    monkeypatch.setattr("layers.tiles.views.registry.peek", lambda name: guarded)
    monkeypatch.setattr("layers.tiles.views.render_guarded", down)
    response = api.get("/tiles/anything/14/1/1.pbf")
    assert response.status_code == 503
    assert response.json()["error"] == "unavailable"
