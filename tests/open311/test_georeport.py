"""Open311 GeoReport v2 in JSON and XML, including its errors."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.core.cache import cache

from open311.keys import api_key_create
from reports.models import Report, ReportUpdate
from reports.workflow import Status
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def parse(response, fmt):
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return json.loads(response.content)
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


@pytest.fixture
def key(cat):
    return api_key_create(name="test app")[1]


@pytest.fixture
def staff_key(cat, people):
    return api_key_create(name="backoffice", user=people["supervisor"])[1]


def post_request(api, key, fmt="json", **data):
    body = {
        "api_key": key,
        "service_code": "pothole",
        "lat": f.PAP[1],
        "long": f.PAP[0],
        "attribute[size]": "large",
        "description": "Twou",
        "email": "jn@example.org",
        "first_name": "Jean",
        "last_name": "Noël",
        "phone": "+50938887766",
    }
    body.update(data)
    body = {k: v for k, v in body.items() if v is not None}
    return api.post(f"{BASE}/requests.{fmt}", body)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_and_services(api, cat, fmt):
    discovery = parse(api.get(f"{BASE}/discovery.{fmt}"), fmt)
    services = parse(api.get(f"{BASE}/services.{fmt}"), fmt)
    definition = parse(api.get(f"{BASE}/services/pothole.{fmt}"), fmt)
    if fmt == "json":
        assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert {s["service_code"] for s in services} == {"pothole", "water-point-broken"}
        pothole = next(s for s in services if s["service_code"] == "pothole")
        assert pothole["metadata"] is True and pothole["type"] == "realtime"
        size = definition["attributes"][0]
        assert (size["code"], size["datatype"], size["required"], size["order"]) == (
            "size",
            "singlevaluelist",
            True,
            1,
        )
        assert [v["key"] for v in size["values"]] == ["small", "large"]
    else:
        assert discovery.tag == "discovery"
        assert discovery.find("endpoints/endpoint/formats/format").text == "application/json"
        assert {s.findtext("service_code") for s in services.findall("service")} == {
            "pothole",
            "water-point-broken",
        }
        attribute = definition.find("attributes/attribute")
        assert (
            attribute.findtext("datatype") == "singlevaluelist"
            and attribute.findtext("required") == "true"
        )
        assert [v.findtext("key") for v in attribute.findall("values/value")] == ["small", "large"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_a_request_then_read_it_back(api, key, fmt):
    response = post_request(api, key, fmt)
    assert response.status_code == 201, response.content
    body = parse(response, fmt)
    if fmt == "json":
        ref, token = body[0]["service_request_id"], body[0]["token"]
    else:
        ref, token = body.findtext("request/service_request_id"), body.findtext("request/token")
    report = Report.objects.get(reference=ref)
    assert (report.source, report.reporter_name, report.answers) == (
        "open311",
        "Jean Noël",
        {"size": "large"},
    )
    assert report.team.name == "roads-pap"  # the same routing as the REST API
    got = parse(api.get(f"{BASE}/requests/{ref}.{fmt}"), fmt)
    if fmt == "json":
        assert got[0]["service_request_id"] == ref and got[0]["status"] == "open"
        assert got[0]["lat"] == pytest.approx(f.PAP[1]) and got[0]["service_code"] == "pothole"
    else:
        assert got.tag == "service_requests" and got.findtext("request/service_request_id") == ref
    tokens = parse(api.get(f"{BASE}/tokens/{token}.{fmt}"), fmt)
    assert (
        tokens[0]["service_request_id"]
        if fmt == "json"
        else tokens.findtext("request/service_request_id")
    ) == ref


def test_address_string_alone_is_placed_in_the_named_area(api, key):
    response = post_request(api, key, lat=None, long=None, address_string="Rue Lamarre, Delmas")
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.commune.pcode == "HT0112" and report.address == "Rue Lamarre, Delmas"
    unknown = post_request(api, key, lat=None, long=None, address_string="Atlantis")
    assert unknown.status_code == 400 and "send lat/long" in unknown.json()[0]["description"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"api_key": None}, 403, "api_key is required"),
        ({"api_key": "stolen"}, 403, "api_key is not valid"),
        ({"service_code": None}, 400, "service_code is required"),
        ({"service_code": "volcano"}, 404, "service_code 'volcano'"),
        ({"lat": None, "long": None}, 400, "location is required"),
        ({"long": None}, 400, "lat and long must be sent together"),
        ({"lat": "north"}, 400, "lat 'north' is not a number"),
        ({"lat": "17.0", "long": "-73.0"}, 400, "outside the service territory"),
        ({"attribute[size]": None}, 400, "answers.size"),
        ({"attribute[size]": "giant"}, 400, "'giant' is not one of"),
        ({"email": "nope"}, 400, "email"),
        ({"jurisdiction_id": "paris.fr"}, 404, "jurisdiction_id 'paris.fr' not found"),
    ],
)
def test_post_errors_use_the_specification_format(api, key, fmt, change, status, words):
    response = post_request(api, key, fmt, **change)
    assert response.status_code == status
    body = parse(response, fmt)
    if fmt == "json":
        assert body[0]["code"] == status and words in body[0]["description"]
    else:
        assert body.tag == "errors" and body.findtext("error/code") == str(status)
        assert words in body.findtext("error/description")
    assert not Report.objects.exists()


def test_get_errors_and_unknown_format(api, cat):
    assert api.get(f"{BASE}/services/volcano.xml").status_code == 404
    missing = api.get(f"{BASE}/requests/00-NOPE.json")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404
    assert api.get(f"{BASE}/tokens/nope.json").status_code == 404
    assert api.get(f"{BASE}/services.csv").json()[0]["description"].startswith("Format 'csv'")
    assert api.get(f"{BASE}/requests.json", {"status": "lost"}).status_code == 400
    assert api.get(f"{BASE}/requests.json", {"start_date": "yesterday"}).status_code == 400
    assert api.get(f"{BASE}/requests.json", {"end_date": "2026-02-30"}).status_code == 400
    offset = api.get(f"{BASE}/requests.xml", {"start_date": "2026-01-01T00:00:00+99:00"})
    assert offset.status_code == 400 and b"<errors>" in offset.content
    assert api.get(f"{BASE}/services.json", {"jurisdiction_id": "komin.ht"}).status_code == 200


def test_get_requests_filters_pages_and_extensions(api, cat, make_report):
    a, b = make_report(), make_report(where=f.DELMAS)
    c = make_report(category="water", where=f.CAP)
    Report.objects.filter(pk=c.pk).update(status=Status.CLOSED)

    def ids(**params):
        response = api.get(f"{BASE}/requests.json", params)
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    assert set(ids()) == {a.reference, b.reference, c.reference}
    assert set(ids(service_code="water-point-broken")) == {c.reference}
    assert set(ids(status="open")) == {a.reference, b.reference}
    assert set(ids(status="closed", service_code="pothole")) == set()
    # A list of ids wins over the other filters, as the specification says.
    assert set(ids(service_request_id=f"{a.reference},{c.reference}", status="open")) == {
        a.reference,
        c.reference,
    }
    assert ids(end_date="2000-01-01T00:00:00Z") == []
    assert len(ids(page_size=2)) == 2 and len(ids(page_size=2, page=2)) == 1
    plain = api.get(f"{BASE}/requests/{c.reference}.json").json()[0]
    assert "extended_attributes" not in plain
    extended = api.get(f"{BASE}/requests/{c.reference}.json", {"extensions": "true"}).json()[0]
    assert extended["extended_attributes"]["detailed_status"] == "CLOSED"
    assert extended["extended_attributes"]["commune"] == "HT0311"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_request_updates_get_and_post(api, cat, make_report, key, staff_key, fmt):
    report = make_report()
    url = f"{BASE}/servicerequestupdates.{fmt}"
    refused = api.post(
        url, {"api_key": key, "service_request_id": report.reference, "status": "IN_PROGRESS"}
    )
    assert refused.status_code == 403  # a key that acts as nobody changes nothing
    posted = api.post(
        url,
        {
            "api_key": staff_key,
            "service_request_id": report.reference,
            "status": "FIXED",
            "description": "Ranje",
        },
    )
    assert posted.status_code == 200, posted.content
    report.refresh_from_db()
    assert report.status == Status.RESOLVED and report.version == 2
    update = report.updates.get(kind=ReportUpdate.Kind.TRANSITION)
    assert update.actor.username == "supervisor" and update.public_note == "Ranje"
    listed = parse(
        api.get(url, {"service_request_id": report.reference, "extensions": "true"}), fmt
    )
    if fmt == "json":
        last = listed[-1]
        assert (last["status"], last["description"], last["update_id"]) == (
            "closed",
            "Ranje",
            str(update.pk),
        )
        assert last["extended_attributes"]["detailed_status"] == "RESOLVED"
    else:
        last = listed.findall("request_update")[-1]
        assert last.findtext("status") == "closed" and last.findtext("description") == "Ranje"
    again = api.post(
        url, {"api_key": staff_key, "service_request_id": report.reference, "status": "WHATEVER"}
    )
    assert again.status_code == 400
    assert (
        api.post(
            url, {"api_key": staff_key, "service_request_id": "00-NONE", "status": "open"}
        ).status_code
        == 404
    )


def test_an_open311_update_without_version_still_cannot_break_the_workflow(
    api, cat, make_report, staff_key
):
    report = make_report()
    Report.objects.filter(pk=report.pk).update(status=Status.DUPLICATE)
    response = api.post(
        f"{BASE}/servicerequestupdates.json",
        {"api_key": staff_key, "service_request_id": report.reference, "status": "IN_PROGRESS"},
    )
    assert (
        response.status_code == 403
        and "duplicate to in_progress" in response.json()[0]["description"]
    )


def test_posts_are_rate_limited_per_key(api, key, settings):
    settings.KOMIN_RATE_OPEN311_POST = "2/hour"
    cache.clear()
    codes = [post_request(api, key).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    assert post_request(api, key, "xml").content.startswith(
        b'<?xml version="1.0" encoding="utf-8"?>\n<errors>'
    )


def test_a_reporter_app_confirms_a_fix_with_the_tracking_token(api, key, make_report, people):
    from communes.access import actor_for
    from reports.services.workflow import report_transition

    report = make_report()
    report_transition(
        report_id=report.pk, actor=actor_for(people["supervisor"]), status="resolved", version=1
    )
    url = f"{BASE}/servicerequestupdates.json"
    data = {"api_key": key, "service_request_id": report.reference, "status": "closed"}
    assert api.post(url, data).status_code == 403
    assert api.post(url, {**data, "token": report.token, "description": "Mèsi"}).status_code == 200
    report.refresh_from_db()
    assert report.status == Status.CLOSED
    assert report.updates.last().actor_role == "reporter"
