"""Staff-only layers and private attributes never leave the staff side."""

import json
import math

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from communes.models import Membership
from layers.models import Layer
from layers.services.features import feature_create

pytestmark = pytest.mark.django_db
LON, LAT = -72.34, 18.54


@pytest.fixture(autouse=True)
def clear_tile_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("chef", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="planner")
    return user


def xy(z):
    n = 1 << z
    return int((LON + 180) / 360 * n), int(
        (1 - math.asinh(math.tan(math.radians(LAT))) / math.pi) / 2 * n
    )


@pytest.fixture
def wells(haiti):
    layer = Layer.objects.create(
        slug="wells",
        title="Wells",
        point_min_zoom=10,
        schema=[
            {"name": "name", "type": "string"},
            {"name": "owner_phone", "type": "string", "private": True},
        ],
    )
    feature_create(
        layer=layer,
        geom=Point(LON, LAT, srid=4326),
        attributes={"name": "Puits", "owner_phone": "+509 0000 0000"},
    )
    return layer


@pytest.fixture
def secret(haiti):
    layer = Layer.objects.create(slug="secret", title="Secret", visibility="staff")
    feature_create(layer=layer, geom=Point(LON, LAT, srid=4326))
    return layer


def body_of(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def test_private_attribute_absent_from_public_geojson_ogc_and_tiles(wells, api):
    geojson = body_of(api.get("/api/v1/layers/wells/features/"))
    assert "Puits" in geojson and "owner_phone" not in geojson and "+509" not in geojson
    ogc = body_of(api.get("/ogc/collections/wells/items"))
    assert "Puits" in ogc and "+509" not in ogc
    feature_id = json.loads(ogc)["features"][0]["id"]
    assert "+509" not in body_of(api.get(f"/ogc/collections/wells/items/{feature_id}"))
    assert "+509" not in body_of(api.get(f"/api/v1/layers/wells/features/{feature_id}/"))
    tile = mapbox_vector_tile.decode(api.get("/tiles/wells/14/{}/{}.pbf".format(*xy(14))).content)
    assert tile["wells"]["features"][0]["properties"]["name"] == "Puits"
    assert "owner_phone" not in tile["wells"]["features"][0]["properties"]
    schema = api.get("/api/v1/layers/wells/").json()["schema"]
    assert [a["name"] for a in schema] == ["name"]
    assert "owner_phone" not in api.get("/tiles/wells.json").json()["vector_layers"][0]["fields"]


def test_private_attribute_cannot_be_used_as_a_public_filter(wells, api):
    response = api.get("/api/v1/layers/wells/features/", {"owner_phone": "+509 0000 0000"})
    assert response.status_code == 400


def test_staff_see_private_attributes_in_the_api(wells, api, staff):
    api.force_authenticate(staff)
    assert "+509" in body_of(api.get("/api/v1/layers/wells/features/"))


def test_staff_only_layer_is_invisible_to_the_public(secret, api, staff):
    assert "secret" not in {layer["slug"] for layer in api.get("/api/v1/layers/").json()["layers"]}
    assert api.get("/api/v1/layers/secret/features/").status_code == 404
    assert api.get("/ogc/collections/secret").status_code == 404
    assert api.get("/ogc/collections/secret/items").status_code == 404
    assert "secret" not in {c["id"] for c in api.get("/ogc/collections").json()["collections"]}
    assert api.get("/tiles/secret/14/{}/{}.pbf".format(*xy(14))).status_code == 404
    assert api.get("/tiles/secret.json").status_code == 404
    assert "secret" not in body_of(api.get("/tiles/"))
    assert "secret" not in body_of(api.get("/ogc/api"))
    api.force_authenticate(staff)
    assert "secret" in {layer["slug"] for layer in api.get("/api/v1/layers/").json()["layers"]}
    assert body_of(api.get("/api/v1/layers/secret/features/")).count('"Feature"') == 1
