"""The Django admin checks features' geometry and attributes as the API does."""

import pytest
from django.contrib.gis.geos import Point

from layers.admin import FeatureForm
from layers.models import Layer

pytestmark = pytest.mark.django_db


@pytest.fixture
def layer(haiti):
    return Layer.objects.create(
        slug="taps", title="Taps", schema=[{"name": "flow", "type": "number"}]
    )


def form(layer, geom, attributes):
    return FeatureForm(
        data={
            "layer": layer.pk,
            "geom": geom.ewkt,
            "attributes": attributes,
            "external_id": "",
            "condition": "unknown",
        }
    )


def test_admin_form_refuses_out_of_range_points_and_bad_attributes(layer):
    bad = form(layer, Point(-72.3, 95.0, srid=4326), '{"flow": "lots"}')
    assert not bad.is_valid()
    assert "out of range" in str(bad.errors["geom"])
    assert "not a valid number" in str(bad.errors["attributes"])


def test_admin_form_types_attributes(layer):
    good = form(layer, Point(-72.3, 18.5, srid=4326), '{"flow": "2.5"}')
    assert good.is_valid(), good.errors
    assert good.cleaned_data["attributes"] == {"flow": 2.5}
