import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.analytics.conftest import cell_centre, make_report

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("analytics", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_rates_command_writes_csv(grid, category, tmp_path):
    make_report(category, cell_centre(0, 0), section=grid[1][(0, 0)])
    target = tmp_path / "rates.csv"
    call_command("analytics", "rates", "--level", "section", "--area", "ZZ", "--format", "csv",
                 "-o", str(target), stderr=io.StringIO())  # fmt: skip
    rows = {row["pcode"]: row for row in csv.DictReader(io.StringIO(target.read_text()))}
    assert rows["ZZ-0-0"]["reports"] == "1" and rows["ZZ-0-1"]["reports"] == "0"


def test_commands_write_geopackages(grid, category, tmp_path):
    import pyogrio

    target = tmp_path / "within.gpkg"
    call_command("analytics", "within", "--point=-75.45,17.05", "--distance", "100",
                 "--format", "gpkg", "-o", str(target), stderr=io.StringIO())  # fmt: skip
    frame = pyogrio.read_dataframe(target)
    assert set(frame["type"]) == {"area"} and len(frame) == 2


def test_bad_command_options_fail_with_the_api_message(grid):
    with pytest.raises(CommandError, match="distance"):
        run("coverage", "--layer", "x", "--distance", "-3")
    with pytest.raises(CommandError, match="level"):
        run("rates", "--level", "county")


def test_load_raster_refuses_a_file_that_is_not_a_geotiff(tmp_path, settings):
    settings.KOMIN_RASTER_DIR = tmp_path / "store"
    fake = tmp_path / "fake.tif"
    fake.write_text("<VRTDataset/>")
    with pytest.raises(CommandError, match="not a GeoTIFF"):
        call_command("load_raster", str(fake), "--title", "Fake")


def test_upload_over_the_size_limit_is_refused(api, staff, raster_dir, settings):
    from django.conf import settings as conf

    settings.KOMIN_RASTER_MAX_BYTES = 1000
    with open(conf.KOMIN_DATA_DIR / "rasters" / "slope.tif", "rb") as handle:
        response = api.post("/api/v1/analytics/rasters/", {"file": handle, "title": "Slope"})
    assert response.status_code == 400 and "limit" in response.json()["detail"]


def test_within_post_without_a_geometry_is_400(api, staff):
    response = api.post("/api/v1/analytics/within/", {"limit": 3}, format="json")
    assert response.status_code == 400 and "geometry" in response.json()["fields"]


def test_every_analysis_is_in_the_openapi_schema(api):
    schema = api.get("/api/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    for path in ["rates/", "public/rates/", "hotspots/clusters/", "hotspots/gi-star/",
        "hotspots/local-moran/", "coverage/",
                 "coverage/nearest/", "rasters/", "rasters/{slug}/zonal/", "rasters/{slug}/sample/",
                 "crew-plan/", "within/"]:  # fmt: skip
        assert f"/api/v1/analytics/{path}" in paths
    params = {p["name"] for p in paths["/api/v1/analytics/coverage/"]["get"]["parameters"]}
    assert {"layer", "distance", "level", "raster", "format"} <= params
