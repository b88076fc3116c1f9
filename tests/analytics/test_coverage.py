import numpy as np
import pytest
from django.contrib.gis.geos import Point
from pyproj import Geod

from layers.models import Feature
from tests.analytics.conftest import X0, Y0, cell_centre

pytestmark = pytest.mark.django_db
COVERAGE = "/api/v1/analytics/coverage/"
NEAREST = "/api/v1/analytics/coverage/nearest/"
GEOD = Geod(ellps="WGS84")


def cell_area_m2(row, col):
    x, y = X0 + 0.1 * col, Y0 + 0.1 * row
    area, _ = GEOD.polygon_area_perimeter([x, x + 0.1, x + 0.1, x], [y, y, y + 0.1, y + 0.1])
    return abs(area)


@pytest.fixture
def wells(grid, facility_layer):
    Feature.objects.create(layer=facility_layer, geom=cell_centre(0, 0), external_id="w1")
    Feature.objects.create(layer=facility_layer, geom=cell_centre(2, 2), external_id="w2")
    return facility_layer


def test_population_within_reach_is_the_circle_share_of_the_section(wells, api, staff):
    body = api.get(COVERAGE, {"layer": "wells", "distance": 1000, "area": "ZZ"}).json()
    rows = {f["properties"]["pcode"]: f["properties"] for f in body["features"]}
    share = np.pi * 1000**2 / cell_area_m2(0, 0)
    assert rows["ZZ-0-0"]["share_within"] == pytest.approx(share, rel=2e-3)
    assert rows["ZZ-0-0"]["population_within"] == pytest.approx(1000 * share, rel=2e-3)
    assert rows["ZZ-0-0"]["facilities"] == 1
    assert (
        rows["ZZ-1-1"]["population_within"] == 0
        and rows["ZZ-1-1"]["population_out_of_reach"] == 1000
    )
    # Most underserved first: the seven sections without a well before the two with one.
    ranked = [f["properties"]["pcode"] for f in body["features"]]
    assert set(ranked[-2:]) == {"ZZ-0-0", "ZZ-2-2"}
    assert body["meta"]["population_within"] == pytest.approx(2000 * share, abs=1)


def test_population_raster_replaces_the_even_spread(wells, api, staff, raster_dir, tmp_path):
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "people.tif"
    grid = np.full((30, 30), 10.0, dtype="float32")
    grid[:10, 20:] = 0.0  # nobody lives in the north-east section (row 0 is north)
    profile = {"driver": "GTiff", "width": 30, "height": 30, "count": 1, "dtype": "float32",
               "crs": "EPSG:4326", "transform": from_origin(X0, Y0 + 0.3, 0.01, 0.01)}  # fmt: skip
    with rasterio.open(path, "w", **profile) as out:
        out.write(grid, 1)
    with open(path, "rb") as handle:
        created = api.post(
            "/api/v1/analytics/rasters/", {"file": handle, "title": "People", "kind": "population"}
        )
    assert created.status_code == 201, created.json()
    body = api.get(
        COVERAGE, {"layer": "wells", "distance": 1000, "area": "ZZ", "raster": "people"}
    ).json()
    rows = {f["properties"]["pcode"]: f["properties"] for f in body["features"]}
    assert rows["ZZ-0-0"]["population"] == pytest.approx(1000, rel=1e-6)
    assert rows["ZZ-0-0"]["population_within"] == pytest.approx(
        1000 * np.pi * 1e6 / cell_area_m2(0, 0), rel=0.01
    )
    assert rows["ZZ-2-2"]["population"] == 0 and rows["ZZ-2-2"]["population_within"] == 0


def test_nearest_facility_and_its_geodesic_distance(wells, api, staff):
    here = cell_centre(0, 1)
    body = api.get(NEAREST, {"layer": "wells", "point": f"{here.x},{here.y}", "limit": 2}).json()
    first, second = (f["properties"] for f in body["features"])
    assert first["external_id"] == "w1"
    _, _, expected = GEOD.inv(here.x, here.y, cell_centre(0, 0).x, cell_centre(0, 0).y)
    assert first["distance_m"] == pytest.approx(expected, abs=0.2)
    assert second["external_id"] == "w2" and second["distance_m"] > first["distance_m"]


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (COVERAGE, {"layer": "wells", "distance": -1}, "distance"),
        (COVERAGE, {"layer": "wells"}, "distance"),
        (COVERAGE, {"layer": "nope", "distance": 100}, "layer"),
        (COVERAGE, {"layer": "wells", "distance": 100, "level": "planet"}, "level"),
        (COVERAGE, {"layer": "wells", "distance": 100, "raster": "nope"}, "raster"),
        (NEAREST, {"layer": "wells", "point": "200,10"}, "point"),
        (NEAREST, {"layer": "wells", "point": "abc"}, "point"),
    ],
)
def test_bad_coverage_parameters_are_400(wells, api, staff, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400 and field in response.json()["fields"]


def test_coverage_on_the_demo_sections(haiti, api, staff, facility_layer):
    Feature.objects.create(layer=facility_layer, geom=Point(-72.2014, 19.7592, srid=4326))
    body = api.get(COVERAGE, {"layer": "wells", "distance": 2000, "area": "HT0311"}).json()
    reached = [f["properties"] for f in body["features"] if f["properties"]["population_within"]]
    assert reached and all(0 < r["share_within"] <= 1 for r in reached)
    out = [f["properties"]["population_out_of_reach"] for f in body["features"]]
    assert out == sorted(out, reverse=True)


def test_a_commune_without_facility_data_says_so_instead_of_zero(haiti, api, staff, facility_layer):
    """Water points surveyed in Cap-Haïtien only: Port-au-Prince is unknown, not 0 %."""
    Feature.objects.create(layer=facility_layer, geom=Point(-72.2014, 19.7592, srid=4326))
    pap = api.get(COVERAGE, {"layer": "wells", "distance": 1000, "area": "HT0111"}).json()
    assert pap["meta"]["facility_data"] is False and pap["meta"]["share_within"] is None
    assert "unknown, not 0 %" in pap["meta"]["note"]
    cap = api.get(COVERAGE, {"layer": "wells", "distance": 1000, "area": "HT0311"}).json()
    assert cap["meta"]["facility_data"] is True and cap["meta"]["share_within"] > 0
    assert "note" not in cap["meta"]
