"""The REST API: create, list with filters, detail, transitions over HTTP."""

import json

import pytest
from rest_framework.authtoken.models import Token

from reports.models import Report
from reports.workflow import Status
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def create(api, **data):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    body.update(data)
    return api.post(URL, body, format="json")


def login(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


def test_anyone_files_a_report_that_is_located_routed_and_timed(api, cat):
    response = create(api, description="Twou", **f.CONTACT)
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(reference=body["reference"])
    assert (report.section.pcode[:6], report.commune.pcode, report.departement.pcode) == (
        "HT0111",
        "HT0111",
        "HT01",
    )
    assert report.team.name == "roads-pap"
    assert report.expected_at == report.created_at + __import__("datetime").timedelta(hours=48)
    assert body["token"] == report.token and response["Location"].endswith(f"{report.reference}/")
    assert body["commune"]["pcode"] == "HT0111" and body["status_group"] == "open"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lon": f.SEA[0], "lat": f.SEA[1]}, "location"),
        ({"lon": 2.35, "lat": 48.85}, "location"),  # Paris: outside the territory
        ({"lat": 123}, "lat"),
        ({"category": "volcano"}, "category"),
        ({"answers": {}}, "answers.size"),
        ({"answers": {"size": "huge"}}, "answers.size"),
        ({"answers": {"size": "small", "depth_cm": "deep"}}, "answers.depth_cm"),
        ({"answers": {"size": "small", "colour": "red"}}, "answers"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_submissions_are_400_naming_the_field_and_write_nothing(api, cat, data, field):
    response = create(api, **data)
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]
    assert not Report.objects.exists()


def test_multivaluelist_answers_are_checked_and_kept_in_order(api, cat):
    response = create(api, category="water-point-broken", answers={"kinds": ["leak", "pump"]})
    assert response.status_code == 201
    assert Report.objects.get().answers == {"kinds": ["pump", "leak"]}


def test_list_filters_by_category_status_area_bbox_and_dates(api, cat, make_report, people):
    pap = make_report()
    delmas = make_report(where=f.DELMAS)
    cap = make_report(category="water", where=f.CAP)
    Report.objects.filter(pk=cap.pk).update(status=Status.CLOSED)

    def refs(**params):
        response = api.get(URL, params)
        assert response.status_code == 200, response.content
        return {r["reference"] for r in response.json()["results"]}

    assert refs() == {pap.reference, delmas.reference, cap.reference}
    assert refs(category="water-point-broken") == {cap.reference}
    assert refs(status="open") == {pap.reference, delmas.reference}
    assert refs(status="closed") == {cap.reference}
    assert refs(area="HT0112") == {delmas.reference}
    assert refs(area="HT01") == {pap.reference, delmas.reference}
    assert refs(bbox="-72.35,18.53,-72.32,18.55") == {pap.reference}
    assert refs(created_after="2999-01-01") == set()
    today = (
        pap.created_at.astimezone(
            __import__("django.utils.timezone", fromlist=["x"]).get_current_timezone()
        )
        .date()
        .isoformat()
    )
    # A bare date as the end of a range includes that whole day.
    assert pap.reference in refs(created_before=today, created_after=today)
    bad_values = [
        {"bbox": "1,2,3"},
        {"status": "lost"},
        {"area": "HT99"},
        {"created_after": "soon"},
        {"created_after": "2026-13-45"},
        {"created_before": "2026-01-01T00:00:00+99:00"},
    ]
    for bad in bad_values:
        assert api.get(URL, bad).status_code == 400


def test_assigned_to_me_and_crews_see_only_their_team(api, cat, make_report, people):
    mine = make_report()  # roads-pap
    other = make_report(category="water")  # water team
    Report.objects.filter(pk=mine.pk).update(assignee=people["crew"])
    login(api, people["crew"])
    listed = {r["reference"] for r in api.get(URL).json()["results"]}
    assert listed == {mine.reference}
    assert api.get(f"{URL}{other.reference}/").status_code == 404
    assert [r["reference"] for r in api.get(URL, {"assigned": "me"}).json()["results"]] == [
        mine.reference
    ]


def test_list_query_count_does_not_grow_with_reports(
    api, cat, make_report, django_assert_max_num_queries
):
    for _ in range(6):
        make_report()
    with django_assert_max_num_queries(4):
        assert len(api.get(URL).json()["results"]) == 6


def test_transition_over_http_needs_the_version_and_refuses_stale_ones(
    api, cat, make_report, people
):
    report = make_report()
    login(api, people["crew"])
    url = f"{URL}{report.reference}/transition/"
    assert api.post(url, {"status": "acknowledged"}, format="json").status_code == 428
    ok = api.post(url, {"status": "acknowledged", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "acknowledged" and ok["ETag"] == '"2"'
    stale = api.post(url, {"status": "in_progress", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["error"] == "stale_version"
    precondition = api.post(url, {"status": "in_progress"}, format="json", HTTP_IF_MATCH='"1"')
    assert precondition.status_code == 412
    assert (
        api.post(url, {"status": "in_progress"}, format="json", HTTP_IF_MATCH='"2"').status_code
        == 200
    )
    refused = api.post(url, {"status": "closed", "version": 3}, format="json")
    assert refused.status_code == 403 and "in_progress to closed" in refused.json()["detail"]


def test_reporter_confirms_the_fix_with_the_tracking_token(api, cat, people):
    body = create(api).json()
    staff = login(
        __import__("rest_framework.test", fromlist=["APIClient"]).APIClient(), people["supervisor"]
    )
    staff.post(
        f"{URL}{body['reference']}/transition/", {"status": "resolved", "version": 1}, format="json"
    )
    url = f"{URL}{body['reference']}/transition/"
    assert (
        api.post(
            url, {"status": "closed", "version": 2, "token": "nope"}, format="json"
        ).status_code
        == 403
    )
    done = api.post(url, {"status": "closed", "version": 2, "token": body["token"]}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "closed"


def test_history_shows_public_notes_to_all_and_internal_notes_to_staff(
    api, cat, make_report, people
):
    report = make_report()
    login(api, people["crew"]).post(
        f"{URL}{report.reference}/transition/",
        {
            "status": "in_progress",
            "version": 1,
            "public_note": "sou wout",
            "internal_note": "camion 12",
        },
        format="json",
    )
    staff_view = api.get(f"{URL}{report.reference}/history/").json()["updates"]
    assert staff_view[-1]["internal_note"] == "camion 12" and staff_view[-1]["actor"] == "crew"
    api.credentials()
    public = api.get(f"{URL}{report.reference}/history/")
    assert b"camion 12" not in public.content and b'"actor"' not in public.content
    assert public.json()["updates"][-1]["public_note"] == "sou wout"


def test_categories_endpoint_lists_questions_in_the_asked_language(api, cat):
    body = api.get("/api/v1/categories/", {"lang": "ht"}).json()
    pothole = next(c for c in body if c["code"] == "pothole")
    assert pothole["name"] == "Twou nan wout"
    assert [q["code"] for q in pothole["questions"]] == ["size", "depth_cm"]
    assert api.get("/api/v1/categories/nope/").status_code == 404


def test_schema_documents_the_reports_endpoints(api):
    schema = api.get("/api/schema/", {"format": "json"})
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/reports/{reference}/transition/" in paths and "/api/v1/categories/" in paths


def test_a_logged_in_citizen_lists_the_reports_they_filed(api, cat, make_report, people):
    make_report()
    login(api, people["citizen"])
    mine = create(api).json()["reference"]
    assert [r["reference"] for r in api.get(URL, {"mine": "true"}).json()["results"]] == [mine]
    api.credentials()
    assert api.get(URL, {"mine": "true"}).status_code == 400


def test_a_crew_member_resolves_with_an_after_photo_without_metadata(api, cat, make_report, people):
    report = make_report()
    login(api, people["crew"])
    start = {"status": "in_progress", "version": 1}
    assert api.post(f"{URL}{report.reference}/transition/", start, format="json").status_code == 200
    response = api.post(
        f"{URL}{report.reference}/transition/",
        {
            "status": "resolved",
            "version": "2",
            "public_note": "Fini",
            "photo": f.upload(f.jpeg_with_gps()),
        },
        format="multipart",
    )
    assert response.status_code == 200, response.content
    api.credentials()
    last = api.get(f"{URL}{report.reference}/history/").json()["updates"][-1]
    assert last["status"] == "resolved" and last["photo"]["url"].startswith(
        "/api/v1/reports/photos/"
    )
    served = b"".join(api.get(last["photo"]["url"]).streaming_content)
    assert served.startswith(b"\xff\xd8") and b"SecretCam" not in served and b"Exif" not in served
    broken = login(api, people["crew"]).post(
        f"{URL}{report.reference}/transition/",
        {"version": "3", "public_note": "x", "photo": f.upload(b"not an image")},
        format="multipart",
    )
    assert broken.status_code == 400 and "photo" in broken.json()["fields"]


def test_the_workflow_is_published_as_data_for_the_frontend(api, people):
    body = api.get(f"{URL}workflow/").json()
    statuses = {s["code"]: s for s in body["statuses"]}
    assert statuses["in_progress"]["group"] == "open"
    assert statuses["resolved"]["labels"]["ht"] == "Ranje"
    assert ["resolved", "reopened"] in body["transitions"]["reporter"]
    assert body["your_role"] == "anonymous" and body["reopen_days"] == 14
    login(api, people["planner"])
    assert api.get(f"{URL}workflow/").json()["your_role"] == "planner"


def test_geojson_for_maps_is_public_filtered_and_built_in_the_database(
    api, cat, make_report, django_assert_max_num_queries, settings
):
    settings.KOMIN_RATE_ANON_READS = ""  # its counter is a query of its own (tests/geoportal)
    pap, cap = make_report(), make_report(category="water", where=f.CAP)
    hidden = make_report(where=f.DELMAS)
    Report.objects.filter(pk=hidden.pk).update(hidden=True)
    with django_assert_max_num_queries(1):
        response = api.get(f"{URL}geojson/")
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    assert {feat["id"] for feat in body["features"]} == {pap.reference, cap.reference}
    feature = next(feat for feat in body["features"] if feat["id"] == pap.reference)
    assert feature["geometry"] == {"type": "Point", "coordinates": [f.PAP[0], f.PAP[1]]}
    assert set(feature["properties"]) == {
        "reference",
        "status",
        "status_group",
        "category",
        "created_at",
        "support_count",
    }

    def ids(**params):
        return {feat["id"] for feat in api.get(f"{URL}geojson/", params).json()["features"]}

    assert ids(area="HT03") == {cap.reference}
    assert ids(area="HT011") == {pap.reference}  # an arrondissement, through its communes
    assert ids(bbox="-72.35,18.53,-72.32,18.55", status="open") == {pap.reference}
    assert ids(category="pothole", status="closed") == set()
    assert len(ids(limit=1)) == 1
    assert api.get(f"{URL}geojson/", {"limit": 0}).status_code == 400
