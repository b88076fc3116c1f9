import itertools
import json

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from pyproj import Geod

from analytics.selectors.routing import distance_matrix, nearest_neighbour, route_length, two_opt
from layers.models import Feature, Layer
from reports.models import Team
from tests.analytics.conftest import X0, Y0, cell_centre, make_report

pytestmark = pytest.mark.django_db
PLAN = "/api/v1/analytics/crew-plan/"
WITHIN = "/api/v1/analytics/within/"
GEOD = Geod(ellps="WGS84")


def east_of(lon, lat, metres):
    x, y, _ = GEOD.fwd(lon, lat, 90, metres)
    return Point(x, y, srid=4326)


def test_crew_plan_visits_tickets_along_a_line_in_order(api, staff, category):
    team = Team.objects.create(name="Voirie")
    depot = (-72.34, 18.54)
    for km in (3, 1, 2):
        make_report(category, east_of(*depot, km * 1000), team=team)
    make_report(category, east_of(*depot, 500), team=team, status="resolved")  # closed: not visited
    response = api.get(
        PLAN, {"team": team.pk, "day": "2026-01-05", "depot": f"{depot[0]},{depot[1]}"}
    )
    assert response.status_code == 200
    body = response.json()
    route, *stops = body["features"]
    assert route["geometry"]["type"] == "LineString"
    legs = [s["properties"]["leg_m"] for s in stops]
    assert legs == pytest.approx([1000, 1000, 1000], abs=1)
    assert body["meta"]["total_distance_m"] == pytest.approx(6000, abs=2)
    assert body["meta"]["stops"] == 3


def test_two_opt_never_worse_than_nearest_neighbour_and_close_to_optimal():
    rng = np.random.default_rng(42)
    lons, lats = -72.3 + rng.random(8) * 0.1, 18.5 + rng.random(8) * 0.1
    matrix = distance_matrix(lons, lats)
    greedy = nearest_neighbour(matrix)
    improved = two_opt(matrix, greedy, closed=True)
    best = min(
        route_length(matrix, list(p), closed=True) for p in itertools.permutations(range(1, 8))
    )
    assert sorted(improved) == list(range(1, 8))
    assert route_length(matrix, improved, closed=True) <= route_length(matrix, greedy, closed=True)
    assert route_length(matrix, improved, closed=True) <= best * 1.05


def test_crew_plan_needs_exactly_one_crew_and_a_valid_day(api, staff):
    assert api.get(PLAN, {"day": "2026-01-05", "depot": "-72.3,18.5"}).status_code == 400
    assert (
        "day"
        in api.get(PLAN, {"team": 1, "day": "05/01/2026", "depot": "-72.3,18.5"}).json()["fields"]
    )
    assert (
        "team"
        in api.get(PLAN, {"team": 999, "day": "2026-01-05", "depot": "-72.3,18.5"}).json()["fields"]
    )


@pytest.fixture
def scene(grid, category, facility_layer):
    make_report(category, cell_centre(0, 0, 0.01, 0.01))
    make_report(category, cell_centre(0, 0, 0.02, 0.01))
    make_report(category, cell_centre(0, 0, 0.02, 0.01), hidden=True)
    make_report(category, cell_centre(2, 2))
    Feature.objects.create(layer=facility_layer, geom=cell_centre(0, 0, 0.03, 0.03))
    return grid


def test_within_a_polygon_counts_by_type(scene, api, staff):
    polygon = {
        "type": "Polygon",
        "coordinates": [
            [[X0, Y0], [X0 + 0.05, Y0], [X0 + 0.05, Y0 + 0.05], [X0, Y0 + 0.05], [X0, Y0]]
        ],
    }
    body = api.post(WITHIN, {"geometry": polygon}, format="json").json()
    counts = body["meta"]["counts"]
    assert counts["reports"] == {"total": 2, "by_type": {"pothole": 2}}
    assert counts["features"] == {"total": 1, "by_type": {"wells": 1}}
    assert counts["areas"]["by_type"] == {"departement": 1, "section": 1}
    via_get = api.get(WITHIN, {"geometry": json.dumps(polygon)}).json()
    assert via_get["meta"]["counts"] == counts


def test_within_a_distance_of_a_point(scene, api, staff):
    centre = cell_centre(0, 0, 0.01, 0.01)
    _, _, gap = GEOD.inv(centre.x, centre.y, X0 + 0.02 + 0.0, Y0 + 0.01)
    body = api.get(WITHIN, {"point": f"{centre.x},{centre.y}", "distance": gap - 50}).json()
    assert body["meta"]["counts"]["reports"]["total"] == 1
    body = api.get(WITHIN, {"point": f"{centre.x},{centre.y}", "distance": gap + 50}).json()
    assert body["meta"]["counts"]["reports"]["total"] == 2


@pytest.mark.parametrize(
    "geometry",
    ['{"type": "Polygon", "coordinates": [[[0, 0], [500, 0], [500, 1], [0, 0]]]}',
     '{"type": "Point", "coordinates": [-72.3, 18.5]}', "not json", '{"type": "Polygon"}'],
)  # fmt: skip
def test_bad_query_geometry_is_400(api, staff, geometry):
    response = api.get(WITHIN, {"geometry": geometry})
    assert response.status_code == 400 and "geometry" in response.json()["fields"]


def test_within_needs_a_distance_that_is_positive(api, staff):
    response = api.get(WITHIN, {"point": "-72.3,18.5", "distance": -10})
    assert response.status_code == 400 and "distance" in response.json()["fields"]


def test_within_on_the_demo_boundaries(haiti, api, staff):
    body = api.get(WITHIN, {"point": "-72.3364,18.5392", "distance": 100}).json()
    assert body["meta"]["counts"]["areas"]["by_type"] == {
        "arrondissement": 1, "commune": 1, "departement": 1, "section": 1}  # fmt: skip


def north_of(point, metres):
    x, y, _ = GEOD.fwd(point.x, point.y, 0, metres)
    return Point(x, y, srid=4326)


def test_crew_plan_along_a_road_layer_follows_the_roads(api, staff, category):
    from django.contrib.gis.geos import LineString

    team = Team.objects.create(name="Voirie")
    roads = Layer.objects.create(slug="roads", title="Roads", geometry_type="LineString")
    depot = Point(-72.34, 18.54, srid=4326)
    corner = east_of(depot.x, depot.y, 1000)
    target = north_of(corner, 1000)
    Feature.objects.create(layer=roads, geom=LineString(depot, corner, srid=4326))
    Feature.objects.create(layer=roads, geom=LineString(corner, target, srid=4326))
    make_report(category, target, team=team)
    params = {"team": team.pk, "day": "2026-01-05", "depot": f"{depot.x},{depot.y}"}
    straight = api.get(PLAN, params).json()
    by_road = api.get(PLAN, {**params, "roads": "roads"}).json()
    _, _, direct = GEOD.inv(depot.x, depot.y, target.x, target.y)
    assert straight["features"][1]["properties"]["leg_m"] == pytest.approx(direct, abs=1)
    assert by_road["features"][1]["properties"]["leg_m"] == pytest.approx(2000, rel=2e-3)
    assert by_road["meta"]["distance"] == "along road layer roads"
    assert len(by_road["features"][0]["geometry"]["coordinates"]) >= 5  # via the corner


def test_stops_the_roads_do_not_connect_keep_the_straight_distance(api, staff, category):
    from django.contrib.gis.geos import LineString

    team = Team.objects.create(name="Voirie")
    roads = Layer.objects.create(slug="roads", title="Roads", geometry_type="LineString")
    depot = Point(-72.34, 18.54, srid=4326)
    far = north_of(depot, 3000)
    Feature.objects.create(
        layer=roads, geom=LineString(depot, east_of(depot.x, depot.y, 500), srid=4326)
    )
    Feature.objects.create(layer=roads, geom=LineString(far, east_of(far.x, far.y, 500), srid=4326))
    make_report(category, far, team=team)
    body = api.get(
        PLAN,
        {"team": team.pk, "day": "2026-01-05", "depot": f"{depot.x},{depot.y}", "roads": "roads"},
    ).json()
    assert body["meta"]["unconnected_pairs"] == 1
    assert body["features"][1]["properties"]["leg_m"] == pytest.approx(3000, abs=1)


def test_an_unknown_road_layer_is_400(api, staff):
    team = Team.objects.create(name="Voirie")
    response = api.get(
        PLAN, {"team": team.pk, "day": "2026-01-05", "depot": "-72.3,18.5", "roads": "nope"}
    )
    assert response.status_code == 400 and "roads" in response.json()["fields"]


def test_crew_plan_on_the_last_representable_day_is_400(api, staff):
    team = Team.objects.create(name="Voirie")
    response = api.get(PLAN, {"team": team.pk, "day": "9999-12-31", "depot": "-72.3,18.5"})
    assert response.status_code == 400 and "day" in response.json()["fields"]
