"""Boundary generations, with a second release made from the real COD-AB data
(tests/layers/boundary_release.py): loading it, reads per generation, reports keeping the
areas they were filed in, the diff checked against shapely, and the old generation
refusing every change."""

import math
from dataclasses import dataclass
from datetime import date

import mapbox_vector_tile
import pytest
from django.db import IntegrityError, transaction
from pyproj import Geod

from analytics.selectors.common import ProblemFilter
from analytics.selectors.rates import area_rates
from layers.models import AdminArea, AdminAreaPart, BoundaryGeneration, Feature
from layers.selectors.generations import current_generation
from layers.services.boundaries import (
    BoundaryImportError,
    BoundarySource,
    NewGeneration,
    load_boundaries,
)
from reports.models import Category, Report, RoutingRule, Team
from reports.services.reports import report_create
from tests.layers import boundary_release as rel

pytestmark = pytest.mark.django_db
AREAS = "/api/v1/areas/"
GEOD = Geod(ellps="WGS84")
DELMAS_POINT = (-72.2905, 18.5455)  # in Delmas, far from the moved border


def load_second(release: rel.Release) -> BoundaryGeneration:
    sources = [
        BoundarySource(release.communes, "commune", rel.COMMUNE_FIELDS, dataset=rel.TEST_SOURCE),
        BoundarySource(release.sections, "section", rel.SECTION_FIELDS, dataset=rel.TEST_SOURCE),
    ]
    report = load_boundaries(
        sources=sources,
        derive_arrondissements=5,
        new_generation=NewGeneration(
            name="COD-AB 2026 (test)", valid_from=date(2026, 6, 1), source=rel.TEST_SOURCE
        ),
    )
    return BoundaryGeneration.objects.get(pk=report.generation)


@dataclass
class World:
    release: rel.Release
    first: BoundaryGeneration
    second: BoundaryGeneration
    pothole: Category
    delmas: Team
    filed_before: Report  # filed at the moved point while the first generation was current


@pytest.fixture(scope="module")
def world(haiti, django_db_blocker, tmp_path_factory):
    """The second release loaded once for this module and committed (loading it takes
    tens of seconds), with a routing rule and a report made before it; all of it removed
    afterwards, and by the `haiti` fixture should a run be killed half-way."""
    release = rel.make_release(tmp_path_factory.mktemp("release-2026"))
    with django_db_blocker.unblock():
        rel.drop_leftover_test_generations()
        first = current_generation()
        pothole = Category.objects.create(code="pothole-g", name_fr="Nid-de-poule")
        delmas = Team.objects.create(name="delmas-g")
        RoutingRule.objects.create(
            category=pothole, area=AdminArea.objects.get(generation=first, pcode="HT0112"),
            team=delmas,
        )  # fmt: skip
        lon, lat = release.moved_point
        filed_before = report_create(category=pothole, lon=lon, lat=lat).report
        second = None
        try:
            second = load_second(release)
            yield World(release, first, second, pothole, delmas, filed_before)
        finally:
            Report.objects.filter(category=pothole).delete()
            RoutingRule.objects.filter(team=delmas).delete()
            delmas.delete()
            pothole.delete()
            if second is not None:
                rel.drop_generation(second.pk, back_to=first.pk)


@pytest.fixture
def generations(world, db):
    return world.first, world.second


@pytest.fixture
def release(world):
    return world.release


def counts(generation) -> dict[str, int]:
    rows = AdminArea.objects.filter(generation=generation).values_list("level", flat=True)
    found: dict[str, int] = {}
    for level in rows:
        found[level] = found.get(level, 0) + 1
    return found


def geodesic_km2(shape) -> float:
    return abs(GEOD.geometry_area_perimeter(shape)[0]) / 1e6


def test_a_new_release_is_a_new_current_generation_and_the_old_one_is_kept(generations):
    first, second = generations
    assert current_generation() == second
    assert counts(first) == {
        "departement": 10,
        "arrondissement": 42,
        "commune": 140,
        "section": 570,
    }
    # Départements were not in the release: carried over; arrondissements derived again.
    assert counts(second) == {
        "departement": 10,
        "arrondissement": 42,
        "commune": 140,
        "section": 571,
    }
    assert AdminArea.objects.get(generation=second, pcode="HT0111").name_fr == "Pòtoprens"
    assert AdminArea.objects.get(generation=first, pcode="HT0111").name_fr == "Port-au-Prince"
    # Parents never cross generations; lookup pieces exist for both.
    assert (
        not AdminArea.objects.filter(generation=second)
        .exclude(parent=None)
        .exclude(parent__generation=second)
        .exists()
    )
    assert AdminAreaPart.objects.filter(generation=first).count() > 710
    assert AdminAreaPart.objects.filter(generation=second).count() > 710


def test_unchanged_areas_keep_their_population_and_changed_ones_wait_for_a_new_one(generations):
    first, second = generations
    same = AdminArea.objects.get(generation=second, pcode="HT0111-02")
    assert same.population == AdminArea.objects.get(generation=first, pcode="HT0111-02").population
    assert same.population
    assert AdminArea.objects.get(generation=second, pcode=rel.WEST).population is None


def test_lookup_answers_for_the_current_generation_or_the_one_asked(generations, release, api):
    first, second = generations
    lon, lat = release.moved_point
    now = api.get(f"{AREAS}lookup/", {"lon": lon, "lat": lat}).json()
    assert (now["section"]["pcode"], now["commune"]["pcode"]) == (rel.GAINER, "HT0111")
    assert now["commune"]["name_fr"] == "Pòtoprens"
    assert now["generation"] == second.pk
    for params in ({"generation": first.pk}, {"date": "2020-01-01"}):
        then = api.get(f"{AREAS}lookup/", {"lon": lon, "lat": lat, **params}).json()
        assert (then["section"]["pcode"], then["commune"]["pcode"]) == (rel.LOSER, "HT0112")
        assert then["generation"] == first.pk
    on_release_day = api.get(f"{AREAS}lookup/", {"lon": lon, "lat": lat, "date": "2026-06-01"})
    assert on_release_day.json()["generation"] == second.pk


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"generation": "abc"}, 400, "is not a generation id"),
        ({"generation": "999999"}, 404, "No boundary generation 999999"),
        ({"date": "2026-13-01"}, 400, "is not a date"),
        ({"date": "1990-01-01"}, 404, "in force on 1990-01-01"),
        ({"generation": "1", "date": "2020-01-01"}, 400, "either generation or date"),
    ],
)
def test_a_bad_generation_or_date_is_a_clear_4xx(haiti, api, params, status, message):
    for path, extra in ((f"{AREAS}lookup/", {"lon": -72.33, "lat": 18.54}), (AREAS, {})):
        response = api.get(path, {**extra, **params})
        assert response.status_code == status
        assert response.json()["error"] in ("invalid", "not_found")
        assert message in response.json()["detail"]
    tile = api.get("/tiles/areas-section/12/1200/1800.pbf", params)
    assert tile.status_code == status and message in tile.json()["detail"]


def test_areas_list_and_detail_per_generation(generations, api):
    first, second = generations

    def sections(**params):
        body = api.get(AREAS, {"level": "section", "parent": "HT0111", **params}).json()
        return sorted(f["id"] for f in body["features"])

    assert sections() == ["HT0111-01", "HT0111-02", rel.WEST, rel.EAST]
    assert sections(generation=first.pk) == ["HT0111-01", "HT0111-02", rel.SPLIT]
    assert api.get(f"{AREAS}{rel.SPLIT}/").status_code == 404
    old = api.get(f"{AREAS}{rel.SPLIT}/", {"generation": first.pk})
    assert old.status_code == 200
    assert old.json()["properties"]["generation"]["id"] == first.pk
    assert old.json()["properties"]["generation"]["current"] is False
    missing = api.get(f"{AREAS}{rel.WEST}/", {"date": "2019-01-01"})
    assert missing.status_code == 404 and "generation" in missing.json()["detail"]
    detail = api.get(f"{AREAS}HT0111/").json()["properties"]
    assert detail["name_fr"] == "Pòtoprens"
    assert detail["children"] == ["HT0111-01", "HT0111-02", rel.WEST, rel.EAST]


def test_reports_keep_the_areas_they_were_filed_in(world, db):
    lon, lat = world.release.moved_point
    before = Report.objects.get(pk=world.filed_before.pk)
    assert (before.section.pcode, before.commune.pcode) == (rel.LOSER, "HT0112")
    assert before.section.generation == world.first == before.departement.generation
    after = report_create(category=world.pothole, lon=lon, lat=lat).report
    assert (after.section.pcode, after.commune.pcode) == (rel.GAINER, "HT0111")
    assert after.section.generation == world.second == after.departement.generation


def test_reports_filter_by_pcode_finds_them_in_every_generation(world, api):
    lon, lat = DELMAS_POINT
    report_create(category=world.pothole, lon=lon, lat=lat)
    listed = api.get("/api/v1/reports/", {"area": "HT0112", "category": "pothole-g"}).json()
    refs = {row["reference"] for row in listed["results"]}
    assert world.filed_before.reference in refs and len(refs) == 2


def test_routing_rules_follow_their_pcode_into_the_new_generation(world, db):
    report = report_create(category=world.pothole, lon=DELMAS_POINT[0], lat=DELMAS_POINT[1]).report
    assert report.commune.pcode == "HT0112" and report.commune.generation == world.second
    assert report.team == world.delmas
    assert world.filed_before.team == world.delmas  # routed when the point was Delmas'
    # The moved piece is no longer Delmas': the rule does not take it.
    lon, lat = world.release.moved_point
    assert report_create(category=world.pothole, lon=lon, lat=lat).report.team != world.delmas


def test_analytics_count_in_current_areas_or_in_those_of_filing(world, db):
    def reports_by_pcode(area: str, areas: str) -> dict[str, int]:
        filters = ProblemFilter(
            level="section", area=area, categories=("pothole-g",), boundaries=areas
        )
        result = area_rates(filters=filters)
        assert result.meta["boundaries"] == areas
        return {row["pcode"]: row["reports"] for row in result.rows if row["reports"]}

    # Current areas: the old report is placed by its point, in Port-au-Prince now.
    assert reports_by_pcode("HT0111", "current") == {rel.GAINER: 1}
    assert reports_by_pcode("HT0112", "current") == {}
    # Areas of filing: it stays in Delmas' section 1 of its time.
    assert reports_by_pcode("HT0112", "filed") == {rel.LOSER: 1}
    assert reports_by_pcode("HT0111", "filed") == {}


def test_analytics_api_says_which_areas_it_used(world, api, django_user_model):
    from communes.models import Membership

    planner = django_user_model.objects.create_user("p-g")
    Membership.objects.create(user=planner, jurisdiction=None, role="planner")
    api.force_authenticate(planner)
    body = api.get("/api/v1/analytics/rates/", {"level": "commune", "boundaries": "filed"}).json()
    assert body["meta"]["boundaries"] == "filed"
    assert {f["properties"]["generation"] for f in body["features"]} >= {current_generation().pk}
    refused = api.get(
        "/api/v1/analytics/hotspots/gi-star/", {"level": "section", "boundaries": "filed"}
    )
    assert refused.status_code == 400 and "boundaries" in refused.json()["fields"]


def test_diff_names_every_change_with_figures_matching_shapely(generations, api, release):
    first, second = generations
    url = f"{AREAS}generations/{first.pk}/diff/{second.pk}/"
    body = api.get(url, {"level": "section"}).json()
    changes = {row["pcode"]: row for row in body["changes"]}
    assert set(changes) == {rel.GAINER, rel.LOSER, rel.SPLIT, rel.WEST, rel.EAST}
    assert changes[rel.SPLIT]["change"] == "disappeared"
    assert {changes[rel.WEST]["change"], changes[rel.EAST]["change"]} == {"appeared"}
    assert body["summary"] == {
        "appeared": 2, "disappeared": 1, "renamed": 0, "parent_changed": 0, "reshaped": 2,
    }  # fmt: skip
    for code in (rel.GAINER, rel.LOSER):
        row = changes[code]
        assert row["change"] == "changed" and row["reshaped"] and not row["renamed"]
        old, new = geodesic_km2(release.old[code]), geodesic_km2(release.new[code])
        assert row["old_area_km2"] == pytest.approx(old, rel=1e-4)
        assert row["new_area_km2"] == pytest.approx(new, rel=1e-4)
        assert row["area_change_km2"] == pytest.approx(new - old, abs=2e-3)
        assert row["area_change_percent"] == pytest.approx(100 * (new - old) / old, abs=2e-2)
    moved_km2 = geodesic_km2(release.moved)
    assert changes[rel.GAINER]["area_change_km2"] == pytest.approx(moved_km2, rel=1e-2)
    assert changes[rel.LOSER]["area_change_km2"] == pytest.approx(-moved_km2, rel=1e-2)
    assert changes[rel.WEST]["new_area_km2"] == pytest.approx(
        geodesic_km2(release.new[rel.WEST]), rel=1e-4
    )

    communes = api.get(url, {"level": "commune"}).json()
    by_code = {row["pcode"]: row for row in communes["changes"]}
    assert set(by_code) == {"HT0111", "HT0112"}
    assert by_code["HT0111"]["renamed"] and by_code["HT0111"]["new_name_fr"] == "Pòtoprens"
    assert by_code["HT0111"]["old_name_fr"] == "Port-au-Prince"
    assert not by_code["HT0112"]["renamed"] and by_code["HT0112"]["reshaped"]


def test_diff_as_geojson_for_a_map(generations, api):
    first, second = generations
    url = f"{AREAS}generations/{first.pk}/diff/{second.pk}/geojson/"
    response = api.get(url, {"level": "section"})
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert body["from"]["id"] == first.pk and body["to"]["id"] == second.pk
    features = {f["id"]: f for f in body["features"]}
    assert features[rel.SPLIT]["properties"]["change"] == "disappeared"
    assert features[rel.SPLIT]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert features[rel.WEST]["geometry"] is not None
    bad = api.get(f"{AREAS}generations/{first.pk}/diff/999999/geojson/")
    assert bad.status_code == 404 and bad.json()["error"] == "not_found"
    listed = api.get(f"{AREAS}generations/").json()["generations"]
    assert [g["id"] for g in listed][-2:] == [first.pk, second.pk]
    assert listed[-1]["current"] and listed[-1]["areas"] == 10 + 42 + 140 + 571


def test_boundary_tiles_and_ogc_items_per_generation(generations, release, api):
    first, second = generations
    lon, lat = release.split_west_point
    z = 12
    x = int((lon + 180) / 360 * 2**z)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * 2**z)

    def section_codes(**params):
        response = api.get(f"/tiles/areas-section/{z}/{x}/{y}.pbf", params)
        assert response.status_code == 200
        layer = mapbox_vector_tile.decode(response.content)["areas"]
        return response["ETag"], {f["properties"]["pcode"] for f in layer["features"]}

    tag_now, now = section_codes()
    tag_then, then = section_codes(generation=first.pk)
    assert rel.WEST in now and rel.SPLIT not in now
    assert rel.SPLIT in then and rel.WEST not in then
    assert tag_now != tag_then
    tilejson = api.get("/tiles/areas-section.json", {"generation": first.pk}).json()
    assert f"?generation={first.pk}&v=" in tilejson["tiles"][0]

    item = "/ogc/collections/areas-section/items/"
    assert api.get(f"{item}{rel.SPLIT}").status_code == 404
    assert api.get(f"{item}{rel.SPLIT}", {"generation": first.pk}).status_code == 200
    page = api.get("/ogc/collections/areas-commune/items", {"date": "2019-01-01", "limit": 200})
    names = {f["properties"]["name_fr"] for f in page.json()["features"]}
    assert "Port-au-Prince" in names and "Pòtoprens" not in names


def test_features_and_place_search_move_to_the_new_generation(generations, api):
    first, second = generations
    assert not Feature.objects.exclude(area=None).exclude(area__generation=second).exists()
    assert Feature.objects.filter(area__generation=second).exists()
    results = api.get("/search/", {"q": "Martissant"}).json()
    found = {r["id"] for r in results["results"]}
    assert {rel.WEST, rel.EAST} <= found and rel.SPLIT not in found


def _refused(action) -> str:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        action()
    return str(caught.value)


def test_the_old_generation_cannot_be_modified(generations):
    first, second = generations
    old = AdminArea.objects.get(generation=first, pcode="HT0111")
    message = _refused(lambda: AdminArea.objects.filter(pk=old.pk).update(name_fr="x"))
    assert "read-only" in message
    _refused(lambda: AdminArea.objects.filter(pk=old.pk).delete())
    _refused(lambda: AdminAreaPart.objects.filter(generation=first).delete())
    _refused(
        lambda: AdminArea.objects.create(
            generation=first, pcode="HT9999", level="commune", name_fr="x", geom=old.geom
        )
    )
    _refused(lambda: BoundaryGeneration.objects.filter(pk=first.pk).update(name="x"))
    # Moving a current area into the old generation is refused too.
    current = AdminArea.objects.get(generation=second, pcode="HT0111")
    _refused(lambda: AdminArea.objects.filter(pk=current.pk).update(generation=first))
    old.refresh_from_db()
    assert old.name_fr == "Port-au-Prince"


def test_loaders_change_only_the_current_generation(generations, release):
    first, second = generations
    before = AdminArea.objects.get(generation=first, pcode=rel.GAINER).geom
    load_boundaries(
        sources=[BoundarySource(release.sections, "section", rel.SECTION_FIELDS)],
    )
    assert AdminArea.objects.get(generation=first, pcode=rel.GAINER).geom.equals_exact(before)
    assert current_generation() == second
    with pytest.raises(BoundaryImportError, match="generations follow each other in time"):
        load_boundaries(
            sources=[BoundarySource(release.sections, "section", rel.SECTION_FIELDS)],
            new_generation=NewGeneration(name="too old", valid_from=date(2020, 1, 1)),
        )
    assert current_generation() == second


def test_the_admin_shows_past_areas_read_only(generations, admin_client):
    first, second = generations
    old = AdminArea.objects.get(generation=first, pcode="HT0111")
    new = AdminArea.objects.get(generation=second, pcode="HT0111")
    page = admin_client.get(f"/admin/layers/adminarea/{old.pk}/change/")
    assert page.status_code == 200 and b'name="name_fr"' not in page.content
    assert (
        b'name="name_fr"' in admin_client.get(f"/admin/layers/adminarea/{new.pk}/change/").content
    )
