"""Geometry checked at the door: one rule for API edits, the admin and imports; nothing
stored can break a read; a response is never an error after a commit."""

import json

import pytest
from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import IntegrityError, connection, transaction

from layers.geometry import GeometryError, conform, parse_geojson, to_wgs84
from layers.models import Feature, Layer

pytestmark = pytest.mark.django_db

MINE = ("roads", "parks", "pumps3d", "pumps-crs")
ROADS = "/api/v1/layers/roads/features/"
PARKS = "/api/v1/layers/parks/features/"
NESTED = {
    "type": "GeometryCollection",
    "geometries": [
        {
            "type": "GeometryCollection",
            "geometries": [{"type": "LineString", "coordinates": [[-72.34, 18.54], [-72.3, 18.5]]}],
        }
    ],
}
SQUARE = [[[-72.35, 18.53], [-72.34, 18.53], [-72.34, 18.54], [-72.35, 18.54], [-72.35, 18.53]]]
ZERO_AREA = [[[-72.35, 18.53], [-72.34, 18.53], [-72.33, 18.53], [-72.35, 18.53]]]


@pytest.fixture
def staff(django_user_model):
    from communes.models import Membership

    user = django_user_model.objects.create_user("cartographe", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="gis_editor")  # layer editing
    return user


@pytest.fixture
def layers(haiti):
    Layer.objects.create(slug="roads", title="Roads", geometry_type="LineString")
    Layer.objects.create(slug="parks", title="Parks", geometry_type="Polygon")


def post(api, url, geometry):
    return api.post(url, {"type": "Feature", "geometry": geometry}, format="json")


def body(response) -> dict:
    if hasattr(response, "streaming_content"):
        return json.loads(b"".join(response.streaming_content))
    return response.json()


@pytest.mark.parametrize("url", [ROADS, PARKS])
def test_a_nested_collection_is_refused_and_the_layer_stays_readable(layers, api, staff, url):
    api.force_authenticate(staff)
    response = post(api, url, NESTED)
    assert response.status_code == 400
    assert "GeometryCollection" in response.json()["detail"]
    assert not Feature.objects.filter(layer__slug__in=MINE).exists()
    assert api.get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "geometry", "message"),
    [
        (PARKS, {"type": "Point", "coordinates": [-72.34, 18.54]}, "cannot go into a layer"),
        (ROADS, {"type": "Polygon", "coordinates": SQUARE}, "cannot go into a layer"),
        (PARKS, {"type": "Polygon", "coordinates": ZERO_AREA}, "invalid"),
        (PARKS, {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "coordinates": SQUARE}]}, "cannot go into a layer"),
    ],
)  # fmt: skip
def test_geometry_type_is_the_layers_for_every_layer_type(
    layers, api, staff, url, geometry, message
):
    api.force_authenticate(staff)
    response = post(api, url, geometry)
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not Feature.objects.filter(layer__slug__in=MINE).exists()


def test_a_polygon_is_accepted_in_a_polygon_layer(layers, api, staff):
    api.force_authenticate(staff)
    response = post(api, PARKS, {"type": "Polygon", "coordinates": SQUARE})
    assert response.status_code == 201, response.content
    assert body(response)["geometry"]["type"] == "Polygon"


def test_repair_keeps_the_type_or_refuses():
    zero = GEOSGeometry(json.dumps({"type": "Polygon", "coordinates": ZERO_AREA}), srid=4326)
    with pytest.raises(GeometryError, match="no area"):
        conform(zero, "Polygon", repair=True)
    bowtie = GEOSGeometry("POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))", srid=4326)
    repaired, was_repaired = conform(bowtie, "Polygon", repair=True)
    assert was_repaired and repaired.geom_type == "MultiPolygon" and repaired.valid


def test_the_database_refuses_a_collection_or_a_wrong_type(layers):
    roads = Layer.objects.get(slug="roads")
    collection = GEOSGeometry("GEOMETRYCOLLECTION(POINT(-72.3 18.5))", srid=4326)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feature.objects.create(layer=roads, geom=collection)
    with pytest.raises(IntegrityError), transaction.atomic():
        Feature.objects.create(layer=roads, geom=Point(-72.3, 18.5, srid=4326))


@pytest.mark.parametrize("coordinates", [[-72.34, 18.54, 12.0], [-72.34, 18.54, 12.0, 3.0]])
def test_z_and_m_are_dropped_on_purpose(haiti, api, staff, coordinates):
    Layer.objects.create(slug="pumps3d", title="Pumps")
    api.force_authenticate(staff)
    response = post(
        api, "/api/v1/layers/pumps3d/features/", {"type": "Point", "coordinates": coordinates}
    )
    assert response.status_code == 201, response.content
    assert body(response)["geometry"]["coordinates"] == [-72.34, 18.54]
    assert not Feature.objects.get(layer__slug="pumps3d").geom.hasz


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Point", "coordinates": [1e12, 1e12],
          "crs": {"type": "name", "properties": {"name": "EPSG:3857"}}}, "outside the area"),
        ({"type": "Point", "coordinates": [1e12, 1e12],
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}}}, "outside"),
        ({"type": "Point", "coordinates": [-72.3, 18.5],
          "crs": {"type": "name", "properties": {"name": "EPSG:999999"}}}, "not a known"),
        ({"type": "Point", "coordinates": [-72.3, 18.5],
          "crs": {"type": "link", "properties": {"href": "http://x"}}}, "crs"),
        ({"type": "Point", "coordinates": [-72.3, 18.5],
          "crs": {"type": "name", "properties": {"name": "Lambert"}}}, "not a CRS"),
        ({"type": "Point", "coordinates": [-72.3, 89.0]}, "web map"),
        ({"type": "Point", "coordinates": [-72.3]}, "position"),
    ],
)  # fmt: skip
def test_absurd_coordinates_and_unknown_crs_are_refused(haiti, api, staff, geometry, message):
    Layer.objects.create(slug="pumps-crs", title="Pumps")
    api.force_authenticate(staff)
    response = post(api, "/api/v1/layers/pumps-crs/features/", geometry)
    assert response.status_code == 400, response.content
    assert message in response.json()["detail"]
    assert not Feature.objects.filter(layer__slug__in=MINE).exists()


def test_a_known_crs_is_honoured():
    geom = parse_geojson(
        {"type": "Point", "coordinates": [780000, 2050000],
         "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32618"}}}
    )  # fmt: skip
    lonlat = to_wgs84(geom)
    assert -72.5 < lonlat.x < -72.2 and 18.4 < lonlat.y < 18.6


@pytest.mark.parametrize("point", [Point(5e7, 2e6, srid=32618), Point(3e7, 2e6, srid=3857)])
def test_coordinates_a_projection_would_wrap_are_refused(point):
    with pytest.raises(GeometryError, match="outside the area"):
        to_wgs84(point)


def test_nothing_stored_breaks_the_features_page(layers, api):
    """Even rows written around the door (raw SQL) cannot be a collection or empty."""
    roads = Layer.objects.get(slug="roads")
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO layers_feature (layer_id, geom, attributes, external_id, condition,"
            " created_at, updated_at) VALUES (%s, ST_GeomFromText("
            "'GEOMETRYCOLLECTION(GEOMETRYCOLLECTION(LINESTRING(-72.3 18.5,-72.2 18.6)))', 4326),"
            " '{}', '', 'unknown', now(), now())",
            [roads.pk],
        )
    assert api.get(ROADS).status_code == 200


@pytest.mark.parametrize("lat", [0.0, 18.54, -45.0, 70.0])
@pytest.mark.parametrize("metres", [50, 500, 20_000])
def test_the_box_around_a_point_holds_the_whole_circle(lat, metres):
    """The index box of the duplicate check and of the nearby assets: every point at the
    radius, in every direction, on the WGS 84 ellipsoid, lies inside it, and it is not
    much wider than the circle (it is an index filter, not the test itself)."""
    from pyproj import Geod

    from layers.geometry import box_around

    lon = -72.34
    box = box_around(lon, lat, metres)
    geod = Geod(ellps="WGS84")
    for azimuth in range(0, 360, 10):
        x, y, _ = geod.fwd(lon, lat, azimuth, metres)
        assert box["xmin"] <= x <= box["xmax"] and box["ymin"] <= y <= box["ymax"], azimuth
    north = geod.fwd(lon, lat, 0, metres)[1] - lat
    assert box["ymax"] - lat < north * 1.02
