"""Bodies: JSON depth, numbers and characters are checked once (geoportal.text) for every
endpoint; Django's own refusals answer JSON on machine routes; stored text never makes
invalid XML."""

import json
from xml.etree import ElementTree as ET

import pytest

from reports.models import Report
from tests.reports import factories as f

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000
DEEP_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000


def message(response) -> str:
    body = response.json()
    return body[0]["description"] if isinstance(body, list) else body["detail"]


@pytest.mark.parametrize("payload", [DEEP, DEEP_OBJECT, '{"description": "' + "[" * 50 + '"}'])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/reports/",
        "/api/v1/reports/subscriptions/",
        "/api/v1/auth/token/",
        "/api/v1/analytics/within/",
        "/api/v1/layers/schools/features/",
    ],
)
def test_deep_json_is_400_on_every_json_endpoint(haiti, cat, api, url, payload):
    response = api.post(url, payload, content_type="application/json")
    assert response.status_code < 500
    if payload != '{"description": "' + "[" * 50 + '"}':  # brackets in a string are text
        assert response.status_code in (400, 401, 403)
        if response.status_code == 400:
            assert "nested deeper" in message(response)


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ('{"category": "pothole", "lat": NaN, "lon": -72.3}', "NaN"),
        ('{"category": "pothole", "lat": 1e999, "lon": -72.3}', "out of range"),
        ('{"category": "pothole", "lat": 18.5, "lon": -72.3, "asset": 99999999999999999999}',
         "out of range"),
        ('{"category": "pothole", "lat": 18.5, "lon": -72.3, "description": "a\\u0000b"}',
         "U+0000"),
        ('{"category": "pothole", "lat": 18.5, "lon": -72.3, "description": "bell\\u0007"}',
         "U+0007"),
        ('{"category": "pothole", "lat": 18.5, "lon": -72.3, "description": "\\ud800"}', "U+D800"),
    ],
)  # fmt: skip
def test_json_numbers_and_characters_are_refused_with_a_message(cat, api, payload, words):
    response = api.post("/api/v1/reports/", payload, content_type="application/json")
    assert response.status_code == 400, response.content
    assert words in message(response)
    assert not Report.objects.exists()


def test_a_description_with_newlines_and_tabs_is_accepted(cat, api):
    body = {"category": "pothole", "lat": f.PAP[1], "lon": f.PAP[0], "answers": {"size": "large"},
            "description": "Line one\n\tLine two\r\n"}  # fmt: skip
    assert api.post("/api/v1/reports/", body, format="json").status_code == 201


def test_control_characters_in_a_multipart_report_are_refused(cat, api):
    body = {"category": "pothole", "lat": f.PAP[1], "lon": f.PAP[0], "description": "x\x1b[31m"}
    response = api.post("/api/v1/reports/", body, format="multipart")
    assert response.status_code == 400
    assert "description" in message(response)


def test_stored_control_characters_never_break_the_open311_xml_feed(cat, api, make_report):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(description="broken\x01 \x0b feed\x1f")
    response = api.get("/open311/v2/requests.xml")
    assert response.status_code == 200
    tree = ET.fromstring(response.content)  # raises on invalid XML
    texts = [el.text for el in tree.iter("description")]
    assert "broken  feed" in texts


@pytest.mark.parametrize("path", ["/api/v1/layers/", "/open311/v2/services.json", "/ogc/"])
def test_a_host_not_allowed_is_a_json_400_on_machine_routes(haiti, client, path):
    response = client.get(path, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "Host" in message(response)


def test_too_many_query_fields_is_a_json_400(haiti, client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    query = "&".join(f"f{i}=1" for i in range(20))
    response = client.get(f"/api/v1/areas/?{query}")
    assert response.status_code == 400
    assert "more fields" in message(response)


def test_a_body_over_the_limit_is_a_json_413(haiti, cat, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/api/v1/auth/token/",
        "username=" + "x" * 5000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (400, 413)
    assert message(response)


def test_a_page_number_beyond_any_integer_is_400(cat, api):
    for path in ("/api/v1/reports/?page=99999999999999999999", "/api/v1/reports/?page=%D9%A3"):
        response = api.get(path)
        assert response.status_code == 400, path
        assert "page" in message(response)


@pytest.mark.parametrize(
    ("geometry", "repaired"),
    [
        ({"type": "GeometryCollection", "geometries": [  # a bow-tie
            {"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, 18.6], [-72.3, 18.5],
                                                 [-72.4, 18.6], [-72.4, 18.5]]]}]}, True),
        ({"type": "GeometryCollection", "geometries": [  # two overlapping squares
            {"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, 18.5], [-72.3, 18.6],
                                                 [-72.4, 18.6], [-72.4, 18.5]]]},
            {"type": "Polygon", "coordinates": [[[-72.35, 18.5], [-72.25, 18.5], [-72.25, 18.6],
                                                 [-72.35, 18.6], [-72.35, 18.5]]]}]}, True),
        ({"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, 18.5], [-72.3, 18.6],
                                              [-72.4, 18.5]]]}, False),
    ],
)  # fmt: skip
def test_within_repairs_drawn_collections_and_says_so(
    haiti, api, django_user_model, geometry, repaired
):
    api.force_authenticate(django_user_model.objects.create_user("p", password="x", is_staff=True))
    response = api.post("/api/v1/analytics/within/", {"geometry": geometry}, format="json")
    assert response.status_code == 200, response.content
    meta = json.loads(response.content)["meta"]
    assert meta["repaired"] is repaired
    assert ("repair" in meta) is repaired


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "GeometryCollection", "geometries": [{"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, 18.5], [-72.3, 18.6],
                                                 [-72.4, 18.5]]]}]}]},
        '{"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, NaN], [-72.3, 18.6], [-72.4, 18.5]]]}',
        {"type": "Polygon", "coordinates": [[[-72.4, 18.5], [-72.3, 18.5], [-72.3, 18.5],
                                             [-72.4, 18.5]]]},
    ],
)  # fmt: skip
def test_within_refuses_nested_collections_nan_and_areas_of_zero(
    haiti, api, django_user_model, geometry
):
    api.force_authenticate(django_user_model.objects.create_user("p", password="x", is_staff=True))
    response = api.get("/api/v1/analytics/within/", {
        "geometry": geometry if isinstance(geometry, str) else json.dumps(geometry)})  # fmt: skip
    assert response.status_code == 400, response.content
    assert "geometry" in message(response)


def test_every_api_view_parses_bodies_with_komins_parsers():
    """A view that lists DRF's own parsers (as ObtainAuthToken does) would skip the rules."""
    from django.urls import get_resolver
    from rest_framework.views import APIView

    from geoportal import parsers

    def views(patterns):
        for entry in patterns:
            if hasattr(entry, "url_patterns"):
                yield from views(entry.url_patterns)
            else:
                yield getattr(entry.callback, "cls", None) or getattr(
                    entry.callback, "view_class", None
                )

    checked = 0
    for view in views(get_resolver().url_patterns):
        if isinstance(view, type) and issubclass(view, APIView):
            for parser in view.parser_classes:
                assert parser.__module__ == parsers.__name__, (view, parser)
            checked += 1
    assert checked > 30


def test_a_transition_comment_with_a_control_character_is_refused(cat, api, make_report, people):
    report = make_report()
    before = report.updates.count()
    api.force_authenticate(people["supervisor"])
    response = api.post(
        f"/api/v1/reports/{report.reference}/transition/",
        {"public_note": "vu\x0c", "version": report.version},
        format="json",
    )
    assert response.status_code == 400
    assert "public_note" in message(response)
    assert report.updates.count() == before


def test_a_layer_attribute_with_a_control_character_is_refused_on_every_path(haiti):
    from layers.models import Layer
    from layers.schema import SchemaError, clean_attributes

    schema = [{"name": "name", "type": "string"}]
    with pytest.raises(SchemaError, match="'name'.*U\\+0007"):
        clean_attributes(schema, {"name": "pompe\x07"})
    assert clean_attributes(schema, {"name": "pompe\tA"}) == {"name": "pompe\tA"}
    assert Layer.objects.exists()
