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


# Search by distance to the map's view (issue 13).
PAP = "-72.339,18.548"  # Bel Air, Port-au-Prince


@pytest.fixture
def bel_air(places, tmp_path):
    from django.core.management import call_command

    from frontend.search_sources import clear_feature_index
    from tests.basemap.conftest import OSM

    path = tmp_path / "bel-air.osm"
    path.write_text(OSM, encoding="utf-8")
    call_command("load_osm_basemap", str(path), stdout=io.StringIO())
    clear_feature_index()
    yield
    clear_feature_index()


def test_streets_neighbourhoods_and_landmarks_of_the_extract_are_found(client, bel_air):
    results = client.get("/search/", {"q": "tiremasse", "near": PAP}).json()["results"]
    assert [(r["kind"], r["name"]) for r in results] == [("street", "Rue Tiremasse")]
    assert results[0]["distance_m"] < 200
    church = client.get("/search/", {"q": "eglise notre-dame", "near": PAP}).json()["results"]
    assert church[0]["name"] == "Église Notre-Dame de Bel Air" and church[0]["kind"] == "landmark"


def test_bel_air_near_port_au_prince_is_the_neighbourhood_not_belle_anse(client, bel_air):
    nearby = client.get("/search/", {"q": "bel", "near": PAP}).json()["results"]
    assert (nearby[0]["kind"], nearby[0]["name"]) == ("neighbourhood", "Bel Air")
    assert "Belle-Anse" not in [r["name"] for r in nearby[:3]]
    best = [r["distance_m"] for r in nearby if r["name"].lower().startswith("bel")]
    assert best == sorted(best)
    # The same query from Belle-Anse's side of the country puts Belle-Anse first.
    far = client.get("/search/", {"q": "bel", "bbox": "-72.2,18.1,-71.9,18.4"}).json()["results"]
    top = [(r["kind"], r["name"]) for r in far[:3]]
    assert ("place", "Belle-Anse") in top and ("neighbourhood", "Bel Air") not in top


def test_school_names_of_the_infrastructure_layers_are_found(client, bel_air):
    from django.contrib.gis.geos import Point

    from layers.models import Feature, Layer

    schools, _ = Layer.objects.get_or_create(slug="schools", defaults={"title": "Schools"})
    for lon, name in [(-72.34, "Lycée Zébulon Pétion"), (-72.0, "Lycée Zébulon Pétion annexe")]:
        Feature.objects.create(
            layer=schools, geom=Point(lon, 18.55, srid=4326), attributes={"name": name}
        )
    results = client.get(
        "/search/", {"q": "lycee zebulon", "near": "-72.0,18.55", "lang": "fr"}
    ).json()
    found = [(r["kind"], r["name"], r["context"]) for r in results["results"]]
    assert found == [
        ("feature", "Lycée Zébulon Pétion annexe", "Écoles"),
        ("feature", "Lycée Zébulon Pétion", "Écoles"),
    ]


def test_a_bad_near_or_bbox_is_refused_with_a_message(client, places):
    for params, word in [
        ({"near": "-72.3"}, "near"),
        ({"near": "abc,18"}, "near"),
        ({"near": "nan,18"}, "near"),
        ({"near": "-272,18"}, "near"),
        ({"bbox": "-72,18,-73,19"}, "bbox"),
    ]:
        answer = client.get("/search/", {"q": "bel", **params})
        assert answer.status_code == 400, params
        assert answer.json()["error"] == "invalid" and word in answer.json()["detail"]
