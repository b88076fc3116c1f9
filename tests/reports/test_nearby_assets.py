"""'Which water point is it?': only the category's assets near the pin, nearest first,
each called by its name or its type in the reader's language (issue 13)."""

import pytest
from django.contrib.gis.geos import Point

from layers.models import Feature, Layer
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/nearby/"


@pytest.fixture
def water_points(cat):
    layer = Layer.objects.create(slug="water-points-near", title="Points d'eau")
    for dx, attributes in [
        (0.0003, {"type": "Borehole or tubewell"}),  # 32 m
        (0.005, {"type": "Protected spring", "name": "Sous Bèlè"}),  # 530 m
        (0.001, {"type": "Water kiosk"}),  # 105 m
        (0.02, {"type": "Rainwater"}),  # 2.1 km: too far
        (1.05, {"type": "Unprotected dug well"}),  # 111 km
    ]:
        Feature.objects.create(
            layer=layer, geom=Point(f.PAP[0] + dx, f.PAP[1], srid=4326), attributes=attributes
        )
    water = cat["water"]
    water.layer = layer
    water.save()
    return water


def test_only_assets_near_the_pin_are_offered_nearest_first(api, water_points):
    where = {"category": water_points.code, "lon": f.PAP[0], "lat": f.PAP[1]}
    assets = api.get(URL, where).json()["assets"]
    assert [round(a["distance_m"], -1) for a in assets] == [30, 110, 530]
    far_away = {**where, "lon": f.PAP[0] + 0.5}
    assert api.get(URL, far_away).json()["assets"] == []


def test_asset_types_are_named_in_the_readers_language(api, water_points):
    where = {"category": water_points.code, "lon": f.PAP[0], "lat": f.PAP[1]}
    labels = {
        lang: [a["label"] for a in api.get(URL, {**where, "lang": lang}).json()["assets"]]
        for lang in ("fr", "ht", "en")
    }
    assert labels == {
        "fr": ["Forage ou puits tubé", "Kiosque à eau", "Sous Bèlè"],
        "ht": ["Foraj oswa pi tib", "Kiyòs dlo", "Sous Bèlè"],
        "en": ["Borehole or tubewell", "Water kiosk", "Sous Bèlè"],
    }
