"""Vector tiles decoded with mapbox_vector_tile: layer names, counts, attributes, caching."""

import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point, Polygon
from django.core.cache import cache

from layers.models import AdminArea, Feature, Layer
from layers.services.features import feature_create
from layers.tiles.registry import TileSource, register, unregister

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_tile_cache():
    # Tests roll back their writes, so a layer's version can repeat between tests.
    cache.clear()
    yield
    cache.clear()


def tile_xy(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tile_bounds(z: int, x: int, y: int) -> Polygon:
    n = 1 << z

    def lat(row):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * row / n))))

    return Polygon.from_bbox((x / n * 360 - 180, lat(y + 1), (x + 1) / n * 360 - 180, lat(y)))


def get_tile(api, source, z, x, y, **headers):
    return api.get(f"/tiles/{source}/{z}/{x}/{y}.pbf", **headers)


def decode(response) -> dict:
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.content)


def test_school_tile_holds_every_school_of_the_tile_with_attributes(haiti, api):
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    response = get_tile(api, "schools", z, x, y)
    layers = decode(response)
    assert list(layers) == ["schools"]
    expected = Feature.objects.filter(
        layer__slug="schools", geom__within=tile_bounds(z, x, y)
    ).count()
    assert expected > 50
    inside = [
        f
        for f in layers["schools"]["features"]
        if all(0 <= c <= 4096 for c in f["geometry"]["coordinates"])
    ]
    assert len(inside) == expected  # the others lie in the 64-pixel buffer
    names = {f["properties"].get("name") for f in layers["schools"]["features"]}
    assert "Institution Mixte Fondation Solides" in names
    assert response["Cache-Control"].startswith("public")


def test_points_are_clustered_below_the_point_zoom_and_counts_add_up(haiti, api):
    layer = Layer.objects.get(slug="water-points")
    z = layer.point_min_zoom - 2
    x, y = tile_xy(-72.2, 19.75, z)
    features = decode(get_tile(api, "water-points", z, x, y))["water-points"]["features"]
    assert all(f["properties"]["cluster"] for f in features)
    inside = Feature.objects.filter(layer=layer, geom__within=tile_bounds(z, x, y)).count()
    assert sum(f["properties"]["count"] for f in features) == inside
    assert len(features) < inside


def test_boundary_sources_one_per_level(haiti, api):
    z, (x, y) = 9, tile_xy(-72.34, 18.54, 9)
    layers = decode(get_tile(api, "areas-commune", z, x, y))
    pcodes = {f["properties"]["pcode"] for f in layers["areas"]["features"]}
    assert "HT0111" in pcodes
    assert all(f["properties"]["level"] == "commune" for f in layers["areas"]["features"])
    assert AdminArea.objects.filter(level="commune", pcode__in=pcodes).count() == len(pcodes)


def test_below_min_zoom_and_empty_tiles_are_204(haiti, api):
    assert get_tile(api, "areas-section", 3, 2, 3).status_code == 204
    assert get_tile(api, "schools", 14, 0, 0).status_code == 204


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/tiles/schools/3/8/1.pbf", 400),
        ("/tiles/schools/23/0/0.pbf", 400),
        ("/tiles/nope/1/0/0.pbf", 404),
        ("/tiles/schools/1/a/0.pbf", 404),
        ("/tiles/nope.json", 404),
    ],
)
def test_bad_tile_addresses_are_4xx_json(haiti, api, path, status):
    response = api.get(path)
    assert response.status_code == status
    assert response.json()["error"]


def test_etag_304_and_invalidation_on_layer_change(haiti, api):
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    first = get_tile(api, "schools", z, x, y)
    tag = first["ETag"]
    assert get_tile(api, "schools", z, x, y, HTTP_IF_NONE_MATCH=tag).status_code == 304
    layer = Layer.objects.get(slug="schools")
    feature_create(
        layer=layer, geom=Point(-72.3433, 18.5213, srid=4326), attributes={"name": "Nouvelle"}
    )
    second = get_tile(api, "schools", z, x, y, HTTP_IF_NONE_MATCH=tag)
    assert second.status_code == 200 and second["ETag"] != tag
    names = {f["properties"].get("name") for f in decode(second)["schools"]["features"]}
    assert "Nouvelle" in names


def test_a_layer_changed_without_new_data_gets_a_rebuilt_source(haiti, api):
    """Tile requests keep a layer's built source while the layer is unchanged: a save
    (here its title, then its visibility) is seen at once."""
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    assert get_tile(api, "schools", z, x, y).status_code == 200
    layer = Layer.objects.get(slug="schools")
    layer.title = "Écoles (renommées)"
    layer.save()
    assert api.get("/tiles/schools.json").json()["name"] == "Écoles (renommées)"
    layer.visibility = Layer.Visibility.STAFF
    layer.save()
    assert get_tile(api, "schools", z, x, y).status_code == 404
    Layer.objects.filter(pk=layer.pk).delete()
    assert get_tile(api, "schools", z, x, y).status_code == 404


def test_tilejson_describes_the_source(haiti, api):
    body = api.get("/tiles/schools.json").json()
    assert body["tilejson"] == "3.0.0"
    version = Layer.objects.get(slug="schools").version
    assert body["tiles"][0].endswith(f"/tiles/schools/{{z}}/{{x}}/{{y}}.pbf?v={version}")
    assert body["vector_layers"][0]["id"] == "schools"
    assert "amenity" in body["vector_layers"][0]["fields"]
    assert body["attribution"] == "© OpenStreetMap contributors"


def test_another_app_can_register_a_source(haiti, api):
    sql = """
    SELECT f.id, f.geom, jsonb_build_object('kind', 'test') AS props
    FROM layers_feature f, tile
    WHERE f.layer_id = %(layer)s AND f.geom && tile.env4326
    """
    layer = Layer.objects.get(slug="schools")
    register(
        TileSource(
            name="extra",
            title="Extra",
            sql=sql,
            version=lambda: "1",
            params={"layer": layer.pk},
            min_zoom=12,
        )
    )
    try:
        z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
        features = decode(get_tile(api, "extra", z, x, y))["extra"]["features"]
        assert features and features[0]["properties"] == {"kind": "test"}
        assert get_tile(api, "extra", 10, 0, 0).status_code == 204
        assert "extra" in {s["name"] for s in api.get("/tiles/").json()["sources"]}
    finally:
        unregister("extra")


def test_without_the_tile_cache_a_layer_tile_is_one_query_and_follows_every_change(
    haiti, api, settings
):
    """With the tile cache off, a layer's tile and the check that its source is current
    are one query; an edit, a definition change, a layer turned staff-only or deleted is
    seen at once, as on the full path."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from layers.tiles import registry
    from layers.tiles.build import render_tile

    settings.KOMIN_TILE_CACHE_SECONDS = 0
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    first = get_tile(api, "schools", z, x, y)  # builds the source
    with CaptureQueriesContext(connection) as captured:
        again = api.get(f"/tiles/schools/{z}/{x}/{y}.pbf?v=0")
    assert len(captured) == 1
    assert again.status_code == 200 and again["ETag"] == first["ETag"]
    assert again.content == render_tile(registry.get("schools"), z, x, y)
    assert again["Cache-Control"] == first["Cache-Control"]
    assert get_tile(api, "schools", z, x, y, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    layer = Layer.objects.get(slug="schools")
    feature_create(
        layer=layer, geom=Point(-72.3433, 18.5213, srid=4326), attributes={"name": "Nouvelle"}
    )
    edited = get_tile(api, "schools", z, x, y)
    assert edited["ETag"] != first["ETag"]
    names = {f["properties"].get("name") for f in decode(edited)["schools"]["features"]}
    assert "Nouvelle" in names
    version = Layer.objects.get(pk=layer.pk).version
    pinned = api.get(f"/tiles/schools/{z}/{x}/{y}.pbf?v={version}")
    assert pinned["Cache-Control"].startswith("public, max-age=86400")

    layer.refresh_from_db()
    layer.schema = [field for field in layer.schema if field["name"] != "name"]
    layer.save()
    renamed = decode(get_tile(api, "schools", z, x, y))["schools"]["features"]
    assert not any("name" in f["properties"] for f in renamed)

    layer.visibility = Layer.Visibility.STAFF
    layer.save()
    assert get_tile(api, "schools", z, x, y).status_code == 404
    assert get_tile(api, "schools", z, x, y).status_code == 404
    Layer.objects.filter(pk=layer.pk).delete()
    assert get_tile(api, "schools", z, x, y).status_code == 404


def test_without_the_tile_cache_empty_and_refused_tiles_answer_as_before(haiti, api, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 0
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    assert get_tile(api, "schools", z, x, y).status_code == 200  # the source is built
    empty = get_tile(api, "schools", 14, 0, 0)
    assert empty.status_code == 204 and empty["ETag"] and not empty.content
    assert get_tile(api, "schools", 3, 8, 1).status_code == 400
    assert get_tile(api, "schools", 23, 0, 0).status_code == 400


@pytest.mark.parametrize("z", [12, 14, 17])
def test_points_on_the_tile_grid_are_where_st_asmvtgeom_puts_them(haiti, api, z):
    """Point tiles skip ST_AsMVTGeom: every feature it would keep (the buffer included),
    at the same coordinates, and no other."""
    from django.db import connection

    layer = Layer.objects.get(slug="schools")
    school = (
        Feature.objects.filter(
            layer=layer, geom__within=tile_bounds(14, *tile_xy(-72.34, 18.54, 14))
        )
        .order_by("id")
        .first()
    )
    x, y = tile_xy(school.geom.x, school.geom.y, z)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ST_X(g), ST_Y(g) FROM (SELECT id, ST_AsMVTGeom(geom_3857, "
            "ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true) AS g FROM layers_feature "
            "WHERE layer_id = %(layer)s) t WHERE g IS NOT NULL",
            {"z": z, "x": x, "y": y, "layer": layer.pk},
        )
        expected = {id_: [round(px), round(py)] for id_, px, py in cursor.fetchall()}
    assert school.pk in expected
    features = mapbox_vector_tile.decode(
        get_tile(api, "schools", z, x, y).content, default_options={"y_coord_down": True}
    )["schools"]["features"]
    assert {f["id"]: f["geometry"]["coordinates"] for f in features} == expected
