"""Whatever changes about a layer changes its version, so that cached tiles, tile ETags
and OGC extents follow at once (a newly private attribute must leave the tiles now)."""

import mapbox_vector_tile
import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache

from layers.models import Layer
from layers.services.features import bump_version, feature_create
from tests.layers.test_layer_privacy import LAT, LON, xy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_tile_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def taps(haiti):
    layer = Layer.objects.create(
        slug="taps",
        title="Taps",
        point_min_zoom=10,
        schema=[
            {"name": "name", "type": "string"},
            {"name": "keeper", "type": "string"},
        ],
    )
    feature_create(
        layer=layer, geom=Point(LON, LAT, srid=4326), attributes={"name": "Tap", "keeper": "Jo"}
    )
    layer.refresh_from_db()
    return layer


def test_marking_an_attribute_private_reaches_cached_tiles_and_revalidating_clients(client, taps):
    x, y = xy(14)
    url = f"/tiles/taps/14/{x}/{y}.pbf"
    first = client.get(url)
    props = mapbox_vector_tile.decode(first.content)["taps"]["features"][0]["properties"]
    assert props["keeper"] == "Jo"  # cached now, with this ETag

    taps.schema = [
        {"name": "name", "type": "string"},
        {"name": "keeper", "type": "string", "private": True},
    ]
    taps.save()

    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200  # not 304: the old tile is no longer valid
    assert again["ETag"] != first["ETag"]
    props = mapbox_vector_tile.decode(again.content)["taps"]["features"][0]["properties"]
    assert "keeper" not in props and props["name"] == "Tap"


@pytest.mark.parametrize(
    "change",
    [
        {"schema": [{"name": "name", "type": "string", "private": True}]},
        {"visibility": "staff"},
        {"style": {"color": "#ff0000"}},
        {"point_min_zoom": 12},
        {"attribution": "© somebody else"},
    ],
)
def test_any_change_to_the_layer_row_bumps_its_version_however_it_is_made(taps, change):
    start = taps.version
    Layer.objects.filter(pk=taps.pk).update(**change)  # no save(): the database does it
    assert Layer.objects.get(pk=taps.pk).version == start + 1


def test_saving_without_a_change_keeps_the_version_and_it_never_goes_back(taps):
    start = taps.version
    taps.save()
    assert Layer.objects.get(pk=taps.pk).version == start
    stale = Layer.objects.get(pk=taps.pk)
    bump_version(taps.pk)  # a feature edit meanwhile
    stale.title = "Taps of the city"
    stale.save()  # written with the version it was read at
    assert Layer.objects.get(pk=taps.pk).version == start + 2
