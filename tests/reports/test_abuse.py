"""Rate limits on anonymous submissions, actions and log-ins (limits are settings)."""

import pytest
from rest_framework.authtoken.models import Token

from geoportal.limits import store
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"
BODY = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}


def test_anonymous_submissions_are_rate_limited(api, cat, settings):
    settings.KOMIN_RATE_ANON_REPORTS = "2/hour"
    codes = [api.post(URL, BODY, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    limited = api.post(URL, BODY, format="json")
    assert limited.json()["error"] == "throttled" and "Retry-After" in limited
    # Reading is never limited by the submission rate.
    assert api.get(URL).status_code == 200


def test_registered_citizens_have_their_own_higher_limit(api, cat, people, settings):
    settings.KOMIN_RATE_ANON_REPORTS = "1/hour"
    settings.KOMIN_RATE_USER_REPORTS = "3/hour"
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['citizen']).key}")
    assert [api.post(URL, BODY, format="json").status_code for _ in range(4)] == [
        201,
        201,
        201,
        429,
    ]


def test_log_in_attempts_are_rate_limited(api, people, settings):
    settings.KOMIN_RATE_LOGIN = "3/minute"
    codes = [
        api.post(
            "/api/v1/auth/token/", {"username": "citizen", "password": "wrong"}, format="json"
        ).status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_correct_log_in_returns_a_token_that_authenticates(api, people):
    response = api.post(
        "/api/v1/auth/token/", {"username": "crew", "password": "pw-crew"}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.get(URL, {"assigned": "me"}).status_code == 200


def test_anonymous_support_and_follow_are_rate_limited(api, cat, make_report, settings):
    settings.KOMIN_RATE_ANON_ACTIONS = "2/hour"
    report = make_report()
    url = f"{URL}{report.reference}/follow/"
    codes = [
        api.post(url, {"email": f"p{i}@example.org"}, format="json").status_code for i in range(3)
    ]
    assert codes == [201, 201, 429]


def test_refused_reports_do_not_use_up_the_quota(api, cat, settings):
    settings.KOMIN_RATE_ANON_REPORTS = "2/hour"
    bad = {**BODY, "lat": 95}
    assert [api.post(URL, bad, format="json").status_code for _ in range(3)] == [400] * 3
    codes = [api.post(URL, BODY, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_every_attempt_refused_or_not_has_a_looser_bound(api, cat, settings):
    settings.KOMIN_RATE_REPORT_ATTEMPTS = "3/hour"
    bad = {**BODY, "category": "nope"}
    codes = [api.post(URL, bad, format="json").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=Jacmel",
        "/stats/",
        f"/api/v1/reports/nearby/?category=pothole&lat={f.PAP[1]}&lon={f.PAP[0]}",
        "/api/v1/reports/geojson/",
        "/api/v1/reports/subscriptions/unknown-token/confirm/",
        "/api/v1/areas/lookup/?lat=18.54&lon=-72.33",
        "/api/v1/analytics/public/rates/?level=commune",
        "/ogc/collections",
        "/unsubscribe/unknown-token/",
    ],
)
def test_cheap_anonymous_reads_are_limited_per_client(api, cat, settings, path):
    settings.KOMIN_RATE_ANON_READS = "2/minute"
    store.clear()  # counts committed by earlier tests' own connections (in this minute)
    codes = [api.get(path, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code for i in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429
    limited = api.get(path, HTTP_ACCEPT_LANGUAGE="ht")
    assert limited.json()["detail"].startswith("Twòp demann. Eseye ankò nan")
    assert 0 < int(limited["Retry-After"]) <= 60


def test_staff_reads_are_not_counted_as_anonymous(api, cat, people, settings):
    settings.KOMIN_RATE_ANON_READS = "1/minute"
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['planner']).key}")
    assert [api.get("/api/v1/reports/geojson/").status_code for _ in range(3)] == [200] * 3
