"""Errors that reach a client never show a server path (GDAL names the temp files)."""

import pytest
from django.contrib.auth import get_user_model

from communes.models import Membership
from geoportal.redact import without_paths

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            "x.geojson: not readable (/tmp/komin-stage-ab12/x.geojson: not recognized)",
            "x.geojson: not readable (x.geojson: not recognized)",
        ),
        ("'/tmp/tmpq1w2e3/upload.tif' not recognized", "'upload.tif' not recognized"),
        ("/vsizip//tmp/komin-up/a.zip/roads.shp failed", "roads.shp failed"),
        ("Permission denied: /srv/komin/media/rasters", "Permission denied: rasters"),
        ("No resource at /api/v1/nowhere/.", "No resource at /api/v1/nowhere/."),
        ("see https://example.org/tmp/x.png", "see https://example.org/tmp/x.png"),
        ("a ratio of 3/4 is fine", "a ratio of 3/4 is fine"),
    ],
)
def test_paths_are_cut_to_the_file_name(text, shown):
    assert without_paths(text) == shown


@pytest.fixture
def staff_api(api):
    user = get_user_model().objects.create_user("chief", password="x")
    for role in ("gis_editor", "administrator"):  # imports, rasters
        Membership.objects.create(user=user, jurisdiction=None, role=role)
    api.force_authenticate(user)
    return api


def test_a_broken_import_and_a_broken_raster_show_no_server_path(staff_api, tmp_path, settings):
    settings.KOMIN_RASTER_DIR = tmp_path / "rasters"
    bad = tmp_path / "bad.gpkg"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    response = staff_api.post("/api/v1/layers/up/import/", {"file": open(bad, "rb")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "bad.gpkg" in body and "/tmp" not in body and str(tmp_path) not in body

    tif = tmp_path / "bad.tif"
    tif.write_bytes(b"II*\x00" + b"\x00" * 10)
    response = staff_api.post("/api/v1/analytics/rasters/", {"file": open(tif, "rb"), "title": "x"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "not a readable GeoTIFF" in body and "/tmp" not in body, body


def test_the_roots_of_configured_folders_are_cut_too(settings):
    settings.MEDIA_ROOT = "/komin-files/media"
    text = "cannot open /komin-files/media/rasters/pop.tif"
    assert without_paths(text) == "cannot open pop.tif"
