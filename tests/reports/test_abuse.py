"""Rate limits on anonymous submissions, actions and log-ins (limits are settings)."""

import pytest
from rest_framework.authtoken.models import Token

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
