"""The OpenAPI schema declares the errors each operation's machinery can answer, with the
shared error body (`geoportal.schema.KominAutoSchema`)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield path, method.upper(), operation


def test_every_operation_declares_bad_requests_with_the_error_body(document):
    error = document["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"error", "detail"}
    for path, method, operation in operations(document):
        declared = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert declared == {"$ref": "#/components/schemas/Error"}, (method, path)


def test_paths_with_parameters_declare_404_and_writes_403(document):
    for path, method, operation in operations(document):
        codes = set(operation["responses"])
        if "{" in path:
            assert "404" in codes, (method, path)
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            assert "403" in codes, (method, path)


def test_staff_only_throttled_and_versioned_operations_declare_their_errors(document):
    paths = document["paths"]
    assert "403" in paths["/api/v1/analytics/rates/"]["get"]["responses"]
    assert "403" not in paths["/api/v1/areas/"]["get"]["responses"]
    assert "429" in paths["/api/v1/reports/"]["post"]["responses"]
    assert "429" in paths["/api/v1/auth/token/"]["post"]["responses"]
    # Reads are limited per anonymous client too (the throttles' AnonReadThrottle).
    assert "429" in paths["/api/v1/areas/"]["get"]["responses"]
    transition = paths["/api/v1/reports/{reference}/transition/"]["post"]["responses"]
    assert {"409", "412", "428"} <= set(transition)


def test_categories_are_documented_as_the_list_they_are(document):
    listing = document["paths"]["/api/v1/categories/"]["get"]["responses"]["200"]
    schema = listing["content"]["application/json"]["schema"]
    assert schema["type"] == "array"
    assert schema["items"] == {"$ref": "#/components/schemas/Category"}


def test_the_served_document_is_built_once_per_language_and_rendered_in_each_format(client):
    from unittest import mock

    from geoportal.schema_view import CachedSchemaView

    CachedSchemaView.forget()
    with mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    ) as built:
        yaml = client.get("/api/schema/")
        again = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
        assert built.call_count == 1  # it took 0.5-0.9 s of CPU a request
        client.get("/api/schema/?lang=ht")
        assert built.call_count == 2  # another language, its own document
    assert yaml.status_code == again.status_code == 200
    assert yaml.content.startswith(b"openapi: 3") and again.json()["openapi"].startswith("3")
    kept = client.get("/api/schema/")  # the rendering kept, with its own Content-Type
    assert kept.content == yaml.content and kept["Content-Type"] == yaml["Content-Type"]
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi;")
    assert again["Content-Type"] == "application/vnd.oai.openapi+json"
    assert again.json()["paths"].keys() >= {"/api/v1/reports/", "/api/v1/areas/"}


def test_a_language_the_site_does_not_speak_gets_the_default_document_not_a_new_build(client):
    from unittest import mock

    from geoportal.schema_view import CachedSchemaView

    CachedSchemaView.forget()
    default = client.get("/api/schema/?lang=fr")
    with mock.patch.object(
        SchemaGenerator, "get_schema", autospec=True, side_effect=SchemaGenerator.get_schema
    ) as built:
        for made_up in ("zz", "xx-1", "de"):
            assert client.get(f"/api/schema/?lang={made_up}").content == default.content
        assert built.call_count == 0
