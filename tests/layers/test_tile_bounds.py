"""TileJSON bounds are the data's extent, not the whole world."""

import pytest

from layers.models import Feature, Layer
from layers.selectors.features import layer_extent

pytestmark = pytest.mark.django_db


def test_a_layers_tilejson_bounds_are_its_extent(haiti, api):
    bounds = api.get("/tiles/schools.json").json()["bounds"]
    assert bounds == layer_extent(Layer.objects.get(slug="schools"))
    west, south, east, north = bounds
    assert -72.5 < west < east < -72.1 and 18.4 < south < north < 18.7
    assert Feature.objects.filter(layer__slug="schools").count() > 1


@pytest.mark.parametrize("source", ["areas-commune", "reports"])
def test_boundary_and_report_bounds_are_the_territory(haiti, api, source):
    west, south, east, north = api.get(f"/tiles/{source}.json").json()["bounds"]
    assert -74.6 < west < -74.3 and 19.9 < north < 20.2
    assert -71.8 < east < -71.5 and 17.9 < south < 18.1
