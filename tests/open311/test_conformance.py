"""GeoReport v2 to the letter: what client libraries and validators rely on."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache

from communes.access import actor_for
from open311.keys import api_key_create
from reports.models import Category, Question, Report
from reports.services.workflow import report_transition
from tests.open311.test_georeport import BASE, post_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(cat):
    return api_key_create(name="test app")[1]


def test_discovery_advertises_the_endpoint_without_a_trailing_slash(api, cat):
    url = api.get(f"{BASE}/discovery.json").json()["endpoints"][0]["url"]
    assert url == "http://testserver/open311/v2"
    # What clients build from it, and what older ones build from the old URL.
    base = api.get(url.removeprefix("http://testserver"))
    assert base.status_code == 200 and base.json()["endpoints"][0]["url"] == url
    assert api.get(url.removeprefix("http://testserver") + "/services.xml").status_code == 200
    assert api.get(f"{BASE}//services.xml").status_code == 200


def test_a_client_posting_to_a_double_slash_url_files_the_request(api, key):
    response = api.post(
        f"{BASE}//requests.json",
        {"api_key": key, "service_code": "water-point-broken", "lat": 18.54, "long": -72.34},
    )
    assert response.status_code == 201, response.content


def test_cors_headers_on_reads_errors_and_the_post_preflight(api, cat):
    for response in (
        api.get(f"{BASE}/services.json"),
        api.get(f"{BASE}/requests/00-NOPE.xml"),
        api.post(f"{BASE}/requests.json", {}),
    ):
        assert response["Access-Control-Allow-Origin"] == "*"
    preflight = api.options(
        f"{BASE}/requests.json",
        HTTP_ORIGIN="https://app.example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert preflight.status_code == 204 and preflight.content == b""
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "content-type" in preflight["Access-Control-Allow-Headers"].lower()


def test_updated_datetime_of_a_closed_request_is_its_closing_time(api, make_report, people):
    report = make_report()
    report_transition(
        report_id=report.pk, actor=actor_for(people["supervisor"]), status="closed", version=1
    )
    # Something later touches the row (a moderation, a merged duplicate's count...).
    Report.objects.filter(pk=report.pk).update(support_count=3)
    report.refresh_from_db()
    assert report.updated_at > report.closed_at
    got = api.get(f"{BASE}/requests/{report.reference}.json").json()[0]
    assert got["status"] == "closed"
    assert got["updated_datetime"] == report.closed_at.isoformat(timespec="seconds")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_missing_api_key_is_forbidden_and_unknown_service_not_found(api, key, fmt):
    missing = post_request(api, None, fmt)
    assert missing.status_code == 403
    unknown = post_request(api, key, fmt, service_code="volcano")
    assert unknown.status_code == 404
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("method", ["get", "post", "delete"])
def test_unknown_paths_answer_the_errors_list_in_the_asked_format(api, cat, fmt, method):
    response = getattr(api, method)(f"{BASE}/nothing/here.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        assert response.json()[0]["code"] == 404
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors" and root.findtext("error/code") == "404"
        assert "/nothing/here" in root.findtext("error/description")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_429_says_when_to_retry(api, key, settings, fmt):
    settings.KOMIN_RATE_OPEN311_POST = "1/hour"
    cache.clear()
    assert post_request(api, key, fmt).status_code == 201
    refused = post_request(api, key, fmt)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 3600
    assert refused["Access-Control-Allow-Origin"] == "*"


def test_absent_optional_values_are_null_in_json_and_empty_in_xml(api, key):
    ref = post_request(api, key, description="").json()[0]["service_request_id"]
    got = api.get(f"{BASE}/requests/{ref}.json").json()[0]
    for name in ("media_url", "status_notes", "service_notice", "address_id", "zipcode"):
        assert got[name] is None, name
    assert "" not in got.values()
    xml = ET.fromstring(api.get(f"{BASE}/requests/{ref}.xml").content)
    media = xml.find("request/media_url")
    assert media is not None and media.text is None
    services = api.get(f"{BASE}/services/pothole.json").json()
    assert services["attributes"][0]["datatype_description"] is None


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_posted_media_url_comes_back(api, key, fmt):
    link = "https://photos.example.org/pothole/1.jpg"
    ref = post_request(api, key, media_url=link).json()[0]["service_request_id"]
    response = api.get(f"{BASE}/requests/{ref}.{fmt}")
    if fmt == "json":
        assert response.json()[0]["media_url"] == link
    else:
        assert ET.fromstring(response.content).findtext("request/media_url") == link
    listed = api.get(f"{BASE}/requests.json").json()
    assert [r["media_url"] for r in listed] == [link]


def test_a_media_url_that_is_not_a_url_is_refused(api, key):
    response = post_request(api, key, media_url="javascript:alert(1)")
    assert response.status_code == 400 and "media_url" in response.json()[0]["description"]
    assert not Report.objects.exists()


def test_the_discovery_changeset_moves_when_services_or_questions_change(api, cat):
    def changeset():
        body = api.get(f"{BASE}/discovery.json").json()
        assert body["changeset"] == body["endpoints"][0]["changeset"]
        return body["changeset"]

    def stamp_all_long_ago():
        Category.objects.update(updated_at="2026-01-01T00:00:00Z")
        Question.objects.update(updated_at="2026-01-01T00:00:00Z")
        assert changeset() == "2026-01-01T00:00:00Z"

    stamp_all_long_ago()
    question = Question.objects.get(code="size")
    question.text_en = "How big?"
    question.save()
    assert changeset() > "2026-01-01T00:00:00Z"
    stamp_all_long_ago()
    category = Category.objects.get(code="pothole")
    category.name_en = "Road hole"
    category.save()
    assert changeset() > "2026-01-01T00:00:00Z"


def test_xml_and_json_lists_carry_the_same_null_members(api, key):
    post_request(api, key)
    as_json = api.get(f"{BASE}/requests.json").json()[0]
    as_xml = ET.fromstring(api.get(f"{BASE}/requests.xml").content).find("request")
    assert {child.tag for child in as_xml} == set(as_json)
    assert json.dumps(as_json)  # serialisable with nulls


def test_lists_of_requests_never_load_area_boundaries(api, make_report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):
        make_report()
    with CaptureQueriesContext(connection) as queries:
        listed = api.get(f"{BASE}/requests.json", {"extensions": "true"}).json()
    assert len(listed) == 3 and listed[0]["extended_attributes"]["commune"] == "HT0111"
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert '"layers_adminarea"."pcode"' in sql
    for column in ("geom", "geom_low", "geom_mid", "geom_high"):
        assert f'"layers_adminarea"."{column}"' not in sql, column
        assert f'T5."{column}"' not in sql and f'T6."{column}"' not in sql, column
