"""OGC API – Features as GIS clients read it: every column on every feature, schemas and
queryables, the base URL without a slash, bbox with heights, numberMatched that is
true, a valid OpenAPI document, errors in JSON for every method."""

import json

import pytest

from layers.models import Feature, Layer
from layers.ogc.collections import layer_collection
from layers.ogc.openapi import openapi_document

pytestmark = pytest.mark.django_db


def test_every_feature_carries_every_public_attribute_null_when_empty(haiti, api):
    schools = Layer.objects.get(slug="schools")
    public = {e["name"] for e in schools.schema if not e.get("private")}
    assert Feature.objects.filter(layer=schools).exclude(attributes__has_key="name_en").exists()
    body = api.get("/ogc/collections/schools/items", {"limit": 1000}).json()
    for feature in body["features"]:
        assert public <= set(feature["properties"]), feature["id"]
    missing = next(f for f in body["features"] if f["properties"]["name_en"] is None)
    one = api.get(f"/ogc/collections/schools/items/{missing['id']}").json()
    assert "name_en" in one["properties"] and one["properties"]["name_en"] is None


def test_private_attributes_stay_out_even_as_null(haiti, api):
    schools = Layer.objects.get(slug="schools")
    schema = [*schools.schema, {"name": "caretaker_phone", "type": "string", "private": True}]
    Layer.objects.filter(pk=schools.pk).update(schema=schema)
    feature = api.get("/ogc/collections/schools/items", {"limit": 1}).json()["features"][0]
    assert "caretaker_phone" not in feature["properties"]
    queryables = api.get("/ogc/collections/schools/queryables").json()
    assert "caretaker_phone" not in queryables["properties"]
    Layer.objects.filter(pk=schools.pk).update(schema=schools.schema)


@pytest.mark.parametrize("collection", ["schools", "areas-commune"])
def test_collection_schema_and_queryables_are_json_schemas(haiti, api, collection):
    links = api.get(f"/ogc/collections/{collection}").json()["links"]
    rels = {link["rel"]: link["href"] for link in links}
    for rel, part in (
        ("http://www.opengis.net/def/rel/ogc/1.0/queryables", "queryables"),
        ("http://www.opengis.net/def/rel/ogc/1.0/schema", "schema"),
    ):
        href = rels[rel]
        assert href.endswith(f"/ogc/collections/{collection}/{part}")
        response = api.get(href.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/schema+json"
        body = response.json()
        assert body["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        assert body["$id"] == href and body["type"] == "object"
        assert body["properties"]["geometry"]["x-ogc-role"] == "primary-geometry"
    schema = api.get(f"/ogc/collections/{collection}/schema").json()["properties"]
    feature = api.get(f"/ogc/collections/{collection}/items", {"limit": 1}).json()["features"][0]
    # The schema names exactly what a feature carries.
    assert set(schema) - {"geometry"} == set(feature["properties"])
    if collection == "schools":
        assert schema["geometry"]["format"] == "geometry-point"
        assert schema["name_en"]["type"] == "string"
        assert schema["updated"]["format"] == "date-time"
        conformance = api.get("/ogc/conformance").json()["conformsTo"]
        assert "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables" in conformance


def test_queryables_are_accepted_as_query_parameters(haiti, api):
    queryables = api.get("/ogc/collections/schools/queryables").json()["properties"]
    for name in set(queryables) - {"geometry"}:
        response = api.get("/ogc/collections/schools/items", {name: "1", "limit": 1})
        assert response.status_code in (200, 400), name
        assert "Unknown parameter" not in response.content.decode(), name


def test_the_base_url_without_slash_answers_the_landing_page(haiti, api):
    response = api.get("/ogc")
    assert response.status_code == 200
    assert response.json()["links"] == api.get("/ogc/").json()["links"]


def test_a_bbox_with_heights_is_accepted(haiti, api):
    flat = api.get("/ogc/collections/schools/items", {"bbox": "-72.4,18.4,-72.2,18.6"}).json()
    tall = api.get("/ogc/collections/schools/items", {"bbox": "-72.4,18.4,-10,-72.2,18.6,3000"})
    assert tall.status_code == 200, tall.content
    assert [f["id"] for f in tall.json()["features"]] == [f["id"] for f in flat["features"]]
    bad = api.get("/ogc/collections/schools/items", {"bbox": "-72.4,18.4,x,-72.2,18.6,3000"})
    assert bad.status_code == 400 and "bbox" in bad.json()["detail"]
    five = api.get("/ogc/collections/schools/items", {"bbox": "1,2,3,4,5"})
    assert five.status_code == 400


def test_number_matched_is_true_past_the_end_and_on_every_page(haiti, api):
    total = Feature.objects.filter(layer__slug="schools").count()
    past = api.get("/ogc/collections/schools/items", {"offset": 5000, "limit": 10}).json()
    assert past["numberReturned"] == 0 and past["numberMatched"] == total
    first = api.get("/ogc/collections/schools/items", {"limit": 10}).json()
    assert first["numberMatched"] == total
    areas = api.get("/ogc/collections/areas-commune/items", {"offset": 1000}).json()
    assert areas["numberMatched"] == 140
    rest = api.get("/api/v1/layers/schools/features/", {"offset": 5000})
    assert json.loads(b"".join(rest.streaming_content))["numberMatched"] == total


def test_number_matched_is_left_out_of_middle_pages_of_large_layers(haiti, api, settings):
    settings.KOMIN_FEATURES_COUNT_MAX = 10
    middle = api.get("/ogc/collections/schools/items", {"limit": 10}).json()
    assert "numberMatched" not in middle
    total = Feature.objects.filter(layer__slug="schools").count()
    past = api.get("/ogc/collections/schools/items", {"offset": 5000}).json()
    assert past["numberMatched"] == total


def test_openapi_operation_ids_stay_unique_for_slugs_differing_by_dash(haiti, rf):
    schools = Layer.objects.get(slug="schools")
    twins = [
        layer_collection(Layer(slug="water-points", title="a", schema=[])),
        layer_collection(Layer(slug="water_points", title="b", schema=[])),
        layer_collection(schools),
    ]
    document = openapi_document(rf.get("/ogc/api"), twins)
    ids = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_other_methods_answer_405_in_json(haiti, api, method):
    response = getattr(api, method)("/ogc/collections/schools/items")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"] == "method_not_allowed"
    assert "GET" in response["Allow"]


def test_head_answers_like_get_without_a_body(haiti, api):
    response = api.head("/ogc/collections/schools/items")
    assert response.status_code == 200 and response.content == b""
    assert response["Content-Type"] == "application/geo+json"
    missing = api.head("/ogc/collections/nothing/items")
    assert missing.status_code == 404 and missing["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url", ["/tiles/areas-commune/5/9/14.pbf", "/tiles/areas-commune.json", "/tiles/", "/search/"]
)
def test_tiles_and_search_answer_other_methods_in_json_and_head_without_body(haiti, api, url):
    refused = api.post(url)
    assert refused.status_code == 405 and refused.json()["error"] == "method_not_allowed"
    assert refused["Allow"] == "GET, HEAD"
    head = api.head(url)
    assert head.status_code in (200, 204) and head.content == b""
