import json

import pytest

pytestmark = pytest.mark.django_db
AREAS = "/api/v1/areas/"


def features(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return json.loads(response.content)["features"]


def test_departements_are_ten_features_with_names_and_population(haiti, api):
    found = features(api.get(AREAS, {"level": "departement"}))
    assert len(found) == 10
    ouest = next(f for f in found if f["id"] == "HT01")
    assert ouest["properties"]["name_ht"] == "Lwès"
    assert ouest["properties"]["population"] > 4_000_000
    assert ouest["geometry"]["type"] == "MultiPolygon"


def test_children_of_a_departement_by_parent(haiti, api):
    arrondissements = features(api.get(AREAS, {"level": "arrondissement", "parent": "HT01"}))
    assert [f["id"] for f in arrondissements] == ["HT011", "HT012", "HT013", "HT014", "HT015"]
    assert all(f["properties"]["derived"] for f in arrondissements)


def test_bbox_keeps_only_areas_that_touch_it(haiti, api):
    # A small box in central Port-au-Prince.
    found = features(api.get(AREAS, {"level": "commune", "bbox": "-72.35,18.53,-72.33,18.55"}))
    assert "HT0111" in {f["id"] for f in found}
    assert len(found) < 6


def test_a_national_map_is_lighter_at_low_zoom(haiti, api):
    full = api.get(AREAS, {"level": "section"})
    national = api.get(AREAS, {"level": "section", "zoom": 6})
    assert len(features(national)) == len(features(full)) == 570
    assert len(national.content) * 4 < len(full.content)


def test_names_follow_the_requested_language(haiti, api):
    [nord] = [
        f
        for f in features(api.get(AREAS, {"level": "departement", "lang": "en"}))
        if f["id"] == "HT03"
    ]
    assert nord["properties"]["name"] == "North"


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"level": "province"}, "level"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "-72,18,-73,19"}, "bbox"),
        ({"zoom": "far"}, "zoom"),
        ({"zoom": "40"}, "zoom"),
        ({"lang": "de"}, "lang"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(haiti, api, params, name):
    response = api.get(AREAS, params)
    assert response.status_code == 400
    assert name in response.json()["fields"]


def test_detail_gives_parent_chain_and_children(haiti, api):
    response = api.get(f"{AREAS}HT0111/")
    assert response.status_code == 200
    props = response.json()["properties"]
    assert [p["pcode"] for p in props["parents"]] == ["HT011", "HT01"]
    assert props["children"] == ["HT0111-01", "HT0111-02", "HT0111-03"]
    assert props["population"] > 0


def test_detail_of_an_unknown_pcode_is_404_json(haiti, api):
    response = api.get(f"{AREAS}HT9999/")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": "No area with P-code 'HT9999'."}


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_openapi_schema_documents_the_area_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"/api/v1/areas/", "/api/v1/areas/lookup/", "/api/v1/areas/{pcode}/"} <= set(paths)
