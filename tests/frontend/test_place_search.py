import io
import json

import pytest

from frontend.demo import load as load_places_demo
from frontend.models import Place
from frontend.selectors import clear_area_index
from frontend.services import PlacesError, load_places

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(haiti):
    clear_area_index()
    load_places_demo(stdout=io.StringIO())
    yield
    clear_area_index()


def test_the_gazetteer_loads_every_place_once(places):
    assert Place.objects.count() == 113
    load_places_demo(stdout=io.StringIO())  # idempotent
    assert Place.objects.count() == 113
    assert Place.objects.get(name="Port-au-Prince").population == 1234742


def test_search_finds_our_communes_without_accents_or_hyphens(client, places):
    results = client.get("/search/", {"q": "cap haitien", "lang": "fr"}).json()["results"]
    assert results[0] == {
        **results[0],
        "kind": "area",
        "id": "HT0311",
        "level": "commune",
        "name": "Cap-Haïtien",
    }
    xmin, ymin, xmax, ymax = results[0]["bbox"]
    assert xmin < results[0]["lon"] < xmax and ymin < results[0]["lat"] < ymax


def test_search_finds_gazetteer_places_that_are_not_areas(client, places):
    results = client.get("/search/", {"q": "phaeton"}).json()["results"]
    assert [(r["kind"], r["name"]) for r in results] == [("place", "Phaëton")]
    kreyol = client.get("/search/", {"q": "Tigwav"}).json()["results"]
    assert ("place", "Tigwav") in [(r["kind"], r["name"]) for r in kreyol]


def test_area_names_follow_the_language(client, places):
    pcode = "HT0111"
    for lang in ("fr", "ht", "en"):
        results = client.get("/search/", {"q": "port-au-prince", "lang": lang}).json()["results"]
        assert pcode in [r["id"] for r in results]


def test_search_refuses_bad_input_with_a_message(client, places):
    long = client.get("/search/", {"q": "x" * 101})
    assert long.status_code == 400
    assert "q: at most 100" in long.json()["detail"]
    bad_lang = client.get("/search/", {"q": "cap", "lang": "de"})
    assert bad_lang.status_code == 400 and "lang" in bad_lang.json()["detail"]
    assert client.get("/search/", {"q": "c"}).json()["results"] == []


def test_a_broken_gazetteer_is_refused_and_nothing_is_written(tmp_path, haiti):
    good = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [-72.3, 18.5]},
            "properties": {"geonameid": 1, "name": "Bon"}}  # fmt: skip
    bad = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
           "properties": {"geonameid": 2, "name": "Mal"}}  # fmt: skip
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [good, bad]}))
    with pytest.raises(PlacesError, match="a Point with geonameid and name"):
        load_places(path=path, dataset="test")
    assert not Place.objects.filter(geonameid__in=[1, 2]).exists()
    path.write_text("{not json")
    with pytest.raises(PlacesError):
        load_places(path=path, dataset="test")
    out_of_range = {**good, "geometry": {"type": "Point", "coordinates": [-272.3, 18.5]}}
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [out_of_range]}))
    with pytest.raises(PlacesError, match="longitude"):
        load_places(path=path, dataset="test")
