"""Idempotency-Key on report creation and transitions (REST) and Open311 posts: a retry
gets the first answer, never a second row."""

from datetime import timedelta

import pytest
from django.utils import timezone

from geoportal import idempotency
from geoportal.models import IdempotentRequest
from open311.keys import api_key_create
from reports.models import Report, ReportUpdate
from tests.reports import factories as f
from tests.reports.test_api import URL, login

pytestmark = pytest.mark.django_db


def create(api, headers=None, **data):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    return api.post(URL, {**body, **data}, format="json", **(headers or {}))


def key(value="0b6f6c1e-5a7e-4b1a-9f0e-1d2c3b4a5f60"):
    return {"HTTP_IDEMPOTENCY_KEY": value}


def test_a_retried_report_gets_the_first_answer_and_makes_no_second_row(api, cat):
    first = create(api, key(), description="Twou")
    again = create(api, key(), description="Twou")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()  # the same reference and tracking token
    assert again["Location"] == first["Location"] and again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert Report.objects.count() == 1
    assert create(api, description="Twou").status_code == 201  # no key: a new report
    assert Report.objects.count() == 2


def test_the_same_key_with_another_body_is_422_naming_the_key(api, cat):
    assert create(api, key(), description="Twou").status_code == 201
    other = create(api, key(), description="Another hole")
    assert other.status_code == 422
    assert other.json()["error"] == "idempotency_key_reused"
    assert "Idempotency-Key" in other.json()["detail"]
    assert Report.objects.count() == 1


def test_a_retried_multipart_report_with_photos_is_recognised_by_content(api, cat):
    photo = f.jpeg_with_gps()

    def post():
        body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1]}
        body.update({"answers": '{"size": "small"}', "photos": [f.upload(photo)]})
        return api.post(URL, body, format="multipart", **key())

    first, again = post(), post()  # each with its own multipart boundary
    assert first.status_code == again.status_code == 201, first.content
    assert again.json()["reference"] == first.json()["reference"]
    assert Report.objects.count() == 1 and Report.objects.get().photos.count() == 1


def test_keys_are_per_account_and_an_error_answer_keeps_the_key_free(api, cat):
    login(api, f.user("one", "citizen"))
    refused = create(api, key(), lon=500)
    assert refused.status_code == 400
    assert create(api, key()).status_code == 201  # the refusal was not kept
    login(api, f.user("two", "citizen"))
    assert create(api, key()).status_code == 201  # another account, the same key
    assert Report.objects.count() == 2


@pytest.mark.parametrize("bad", ["", "x" * 256, "with space", "é"])
def test_a_malformed_key_is_400_naming_the_header(api, cat, bad):
    response = create(api, key(bad))
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert Report.objects.count() == 0


def test_a_key_older_than_its_lifetime_is_forgotten(api, cat):
    create(api, key())
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert create(api, key()).status_code == 201
    assert Report.objects.count() == 2
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert idempotency.prune() == 1 and not IdempotentRequest.objects.exists()


def test_a_retried_transition_is_answered_again_not_refused_as_stale(api, cat, make_report, people):
    report = make_report()
    login(api, people["crew"])
    url = f"{URL}{report.reference}/transition/"
    body = {"status": "acknowledged", "version": 1, "public_note": "On our way"}
    first = api.post(url, body, format="json", **key())
    again = api.post(url, body, format="json", **key())
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json() and again["ETag"] == first["ETag"] == '"2"'
    assert ReportUpdate.objects.filter(report=report, public_note="On our way").count() == 1
    # Without the key the same retry is (rightly) a stale version.
    assert api.post(url, body, format="json").status_code == 409


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_retried_open311_post_gets_the_same_request_id(api, cat, fmt):
    api_key = api_key_create(name="field app")[1]
    body = {"api_key": api_key, "service_code": "pothole", "lat": f.PAP[1], "long": f.PAP[0]}
    body["attribute[size]"] = "large"
    url = f"/open311/v2/requests.{fmt}"
    first, again = api.post(url, body, **key()), api.post(url, body, **key())
    assert first.status_code == again.status_code == 201, first.content
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert Report.objects.count() == 1


def test_replays_past_the_report_limit_get_the_stored_answer_and_a_new_key_is_429(
    api, cat, settings
):
    settings.KOMIN_RATE_ANON_REPORTS = "2/hour"
    first = create(api, key("first"), description="Twou")
    assert create(api, key("second"), description="Lòt twou").status_code == 201
    for _ in range(5):  # a phone retrying after a flaky link, the budget already spent
        again = create(api, key("first"), description="Twou")
        assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
    assert create(api, key("third"), description="Twazyèm").status_code == 429
    assert Report.objects.count() == 2


def test_a_replayed_reporter_transition_takes_nothing_from_the_anonymous_limit(
    api, cat, people, settings
):
    body = create(api).json()
    staff = login(type(api)(), people["supervisor"])
    url = f"{URL}{body['reference']}/transition/"
    staff.post(url, {"status": "resolved", "version": 1}, format="json")
    settings.KOMIN_RATE_ANON_READS = "1/hour"  # anonymous transitions count here
    close = {"status": "closed", "version": 2, "token": body["token"]}
    assert api.post(url, close, format="json", **key("close")).status_code == 200
    for _ in range(3):
        again = api.post(url, close, format="json", **key("close"))
        assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    reopen = {"status": "reopened", "version": 3, "token": body["token"]}
    assert api.post(url, reopen, format="json", **key("reopen")).status_code == 429


def test_replayed_open311_posts_take_nothing_from_the_key_limit(api, cat, settings):
    settings.KOMIN_RATE_OPEN311_POST = "1/hour"
    api_key = api_key_create(name="field app")[1]
    body = {"api_key": api_key, "service_code": "pothole", "lat": f.PAP[1], "long": f.PAP[0]}
    body["attribute[size]"] = "large"
    url = "/open311/v2/requests.json"
    first = api.post(url, body, **key("o1"))
    assert first.status_code == 201, first.content
    for _ in range(3):
        assert api.post(url, body, **key("o1")).content == first.content
    assert api.post(url, body, **key("o2")).status_code == 429
    assert Report.objects.count() == 1
