"""Projects like any layer (vector tiles, OGC API collection, exports), the "my section"
summary and the planners' spending-against-reports comparison."""

import csv
import io
import math
import sqlite3
import tempfile
from decimal import Decimal

import mapbox_vector_tile
import pytest

from communes.access import actor_for
from projects.models import Project
from projects.services import budget_line_save
from tests.projects.conftest import point
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
ROAD = {"type": "LineString", "coordinates": [list(f.DELMAS), list(f.PAP)]}
BOTH = {"type": "GeometryCollection", "geometries": [point(f.DELMAS), ROAD]}


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


@pytest.fixture
def spent(towns, make_project):
    project = make_project(slug="mixed", geometry=BOTH)
    make_project(slug="well", sector="water", town="cap", geometry=point(f.CAP))
    budget_line_save(actor=actor_for(towns.people.superuser), project_id=project.pk, year=2025,
                     funding_source="commune", planned=Decimal("900000.00"),
                     spent=Decimal("600000.00"))  # fmt: skip
    return project


def test_a_collection_is_cut_into_its_parts_in_vector_tiles(api, spent):
    x, y = tile_of(*f.DELMAS, 12)
    response = api.get(f"/tiles/projects/12/{x}/{y}.pbf")
    assert response.status_code == 200
    features = mapbox_vector_tile.decode(response.content)["projects"]["features"]
    kinds = {feat["geometry"]["type"] for feat in features}
    assert kinds == {"Point", "LineString"}
    assert {feat["properties"]["slug"] for feat in features} == {"mixed"}
    assert set(features[0]["properties"]) == {"slug", "title", "sector", "status",
                                              "percent_complete", "sample"}  # fmt: skip
    assert api.get("/tiles/projects.json").json()["vector_layers"][0]["id"] == "projects"


def test_projects_are_an_ogc_collection_with_queryables(api, spent):
    ids = [c["id"] for c in api.get("/ogc/collections").json()["collections"]]
    assert "projects" in ids
    items = api.get("/ogc/collections/projects/items", {"sector": "roads"}).json()
    assert [feat["id"] for feat in items["features"]] == ["mixed"]
    assert items["numberMatched"] == 1
    assert items["features"][0]["properties"]["spent_htg"] == 600000.0
    one = api.get("/ogc/collections/projects/items/well").json()
    assert one["geometry"]["type"] == "Point"
    queryables = api.get("/ogc/collections/projects/queryables").json()["properties"]
    assert set(queryables) == {"geometry", "sector", "status"}
    schema = api.get("/ogc/collections/projects/schema").json()["properties"]
    assert schema["spent_htg"]["type"] == "number"
    assert api.get("/ogc/collections/projects/items", {"colour": "red"}).status_code == 400
    assert api.get("/ogc/collections/projects/items/nothing").status_code == 404


def test_exports_as_csv_geojson_and_geopackage(api, spent):
    rows = list(csv.DictReader(io.StringIO(
        api.get("/api/v1/projects/export/", {"format": "csv"}).content.decode())))  # fmt: skip
    assert {r["slug"]: r["spent_htg"] for r in rows} == {"mixed": "600000.00", "well": "0"}
    geojson = api.get("/api/v1/projects/export/", {"format": "geojson"}).json()
    assert len(geojson["features"]) == 2
    gpkg = api.get("/api/v1/projects/export/", {"format": "gpkg", "sector": "water"}).content
    with tempfile.NamedTemporaryFile(suffix=".gpkg") as file:
        file.write(gpkg)
        file.flush()
        with sqlite3.connect(file.name) as db:
            assert db.execute("SELECT slug FROM projects").fetchall() == [("well",)]


def test_my_section_puts_together_reports_projects_spending_and_infrastructure(
    api, spent, file_report
):
    file_report(where=f.DELMAS)
    section = Project.objects.get(slug="well").areas.get()
    delmas_section = next(a for a in spent.areas.all() if a.parent.pcode == "HT0112")
    data = api.get(f"/api/v1/projects/sections/{delmas_section.pcode}/").json()
    assert [p["slug"] for p in data["projects"]] == ["mixed"]
    assert data["area"]["population"] == delmas_section.population
    share = Decimal("600000.00") / spent.areas.count()
    assert Decimal(data["money"]["spent"]) == share.quantize(Decimal("0.01"))
    assert sum(r["reports"] for r in data["reports"]) >= 1
    assert (
        f.CONTACT["email"]
        not in api.get(f"/api/v1/projects/sections/{delmas_section.pcode}/").content.decode()
    )
    assert (
        api.get(f"/api/v1/projects/sections/{section.pcode}/").json()["projects"][0]["slug"]
        == "well"
    )
    assert api.get("/api/v1/projects/sections/HT9999-99/").status_code == 404


def test_planners_compare_spending_per_resident_with_reports_per_1000(
    api, towns, spent, file_report
):
    file_report(where=f.DELMAS)
    url = "/api/v1/projects/compare/"
    assert api.get(url, {"jurisdiction": "delmas"}).status_code in (401, 403)
    api.force_authenticate(towns.people.citizen)
    assert api.get(url, {"jurisdiction": "delmas"}).status_code == 403
    api.force_authenticate(towns.people.delmas_planner)
    body = api.get(url, {"jurisdiction": "delmas"}).json()
    rows = {feat["properties"]["pcode"]: feat["properties"] for feat in body["features"]}
    assert rows and all(p["commune"] == "HT0112" for p in rows.values())
    with_money = [p for p in rows.values() if Decimal(p["spent"]) > 0]
    for p in with_money:
        expected = Decimal(p["spent"]) / p["population"]
        assert abs(Decimal(p["spent_per_resident"]) - expected) <= Decimal("0.01")
    reported = [p for p in rows.values() if p["reports"]]
    assert reported
    for p in reported:
        expected = Decimal(p["reports"] * 1000) / p["population"]
        assert Decimal(p["reports_per_1000"]) == expected.quantize(Decimal("0.001"))
