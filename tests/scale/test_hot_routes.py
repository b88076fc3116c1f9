"""The hot routes do only the work they need: a tile answers without sessions, users or
language (the fast path), and a report submission runs a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.layers.test_layer_tiles import tile_xy
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def test_a_tile_touches_no_session_user_or_language(haiti, api, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 0
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    api.cookies["sessionid"] = "some-session"
    with CaptureQueriesContext(connection) as captured:
        response = api.get(f"/tiles/schools/{z}/{x}/{y}.pbf", HTTP_ACCEPT_LANGUAGE="ht")
    assert response.status_code == 200
    sql = " ".join(q["sql"] for q in captured)
    assert "django_session" not in sql and "auth_user" not in sql
    assert not hasattr(response.wsgi_request, "session")
    assert not hasattr(response.wsgi_request, "user")
    assert "Accept-Language" not in response.get("Vary", "")
    assert "Content-Language" not in response
    assert len(captured) <= 3  # the source's version, the tile (and a savepoint at most)


def test_a_tile_path_with_control_characters_is_still_refused(api):
    assert api.get("/tiles/schools/14/1/1.pbf?x=%01").status_code == 400


def test_a_report_submission_runs_a_bounded_number_of_queries(api, cat, make_report):
    for _ in range(3):  # open reports of the category at the same place: duplicates
        make_report()
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["possible_duplicates"]) == 3
    # Limits, category, areas, routing, the report, outbox, the live updates' NOTIFY, and
    # the duplicates in two queries however many there are (they cost five each before).
    assert len(captured) <= 31, [q["sql"][:80] for q in captured]
