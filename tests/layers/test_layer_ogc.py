"""OGC API – Features Part 1: landing, conformance, collections, items, links."""

import pytest

from layers.models import Feature

pytestmark = pytest.mark.django_db


def rels(body) -> dict:
    return {(link["rel"], link["type"]): link["href"] for link in body["links"]}


def test_landing_page_links_to_api_conformance_and_data(haiti, api):
    body = api.get("/ogc/").json()
    found = {link["rel"] for link in body["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= found


def test_conformance_declares_core_geojson_and_oas30(haiti, api):
    classes = api.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30" in classes


def test_openapi_document_lists_every_collection(haiti, api):
    response = api.get("/ogc/api")
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    paths = response.json()["paths"]
    assert "/collections/schools/items" in paths and "/collections/areas-commune/items" in paths


def test_collections_are_the_public_layers_and_boundary_levels(haiti, api):
    ids = {c["id"] for c in api.get("/ogc/collections").json()["collections"]}
    assert {"schools", "water-points", "areas-departement", "areas-commune", "areas-section"} <= ids


def test_collection_has_extent_and_items_link(haiti, api):
    body = api.get("/ogc/collections/schools").json()
    xmin, ymin, xmax, ymax = body["extent"]["spatial"]["bbox"][0]
    assert -72.4 < xmin < xmax < -72.2 and 18.4 < ymin < ymax < 18.6
    assert ("items", "application/geo+json") in rels(body)


def test_items_pages_with_self_next_alternate(haiti, api):
    response = api.get(
        "/ogc/collections/water-points/items", {"limit": 5}, HTTP_ACCEPT="application/geo+json"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["numberReturned"] == 5 and len(body["features"]) == 5
    links = rels(body)
    assert ("self", "application/geo+json") in links
    assert ("alternate", "application/json") in links
    nxt = links[("next", "application/geo+json")]
    assert "offset=5" in nxt
    second = api.get(nxt.replace("http://testserver", "")).json()
    assert {f["id"] for f in second["features"]}.isdisjoint({f["id"] for f in body["features"]})


def test_items_default_limit_is_10_and_datetime_filters(haiti, api):
    assert api.get("/ogc/collections/schools/items").json()["numberReturned"] == 10
    future = api.get("/ogc/collections/schools/items", {"datetime": "2999-01-01T00:00:00Z/.."})
    assert future.json()["features"] == [] and future.json()["numberMatched"] == 0
    assert api.get("/ogc/collections/schools/items", {"datetime": "yesterday"}).status_code == 400


def test_items_bbox_on_boundaries(haiti, api):
    body = api.get(
        "/ogc/collections/areas-commune/items", {"bbox": "-72.345,18.535,-72.335,18.545"}
    ).json()
    assert [f["id"] for f in body["features"]] == ["HT0111"]


def test_single_item_and_404s(haiti, api):
    feature = Feature.objects.filter(layer__slug="schools").first()
    body = api.get(f"/ogc/collections/schools/items/{feature.pk}").json()
    assert body["id"] == feature.pk and ("collection", "application/json") in rels(body)
    assert (
        api.get("/ogc/collections/areas-commune/items/HT0111").json()["properties"]["pcode"]
        == "HT0111"
    )
    assert api.get("/ogc/collections/schools/items/999999999").status_code == 404
    assert api.get("/ogc/collections/schools/items/abc").status_code == 404
    assert api.get("/ogc/collections/nothing").status_code == 404


def test_unknown_parameters_are_400(haiti, api):
    assert api.get("/ogc/collections/schools/items", {"colour": "red"}).status_code == 400
    assert api.get("/ogc/collections/areas-commune/items", {"colour": "red"}).status_code == 400
    assert api.get("/ogc/collections/schools/items", {"limit": "0"}).status_code == 400
    assert api.get("/ogc/collections", {"f": "xml"}).status_code == 400
