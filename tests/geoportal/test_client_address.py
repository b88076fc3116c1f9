"""The client address: X-Forwarded-For only from trusted proxies."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from geoportal.limits.clients import client_address, client_identity
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
REPORTS = "/api/v1/reports/"
BODY = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.KOMIN_TRUSTED_PROXIES = []
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_trusted_proxy_gives_the_nearest_untrusted_address(settings):
    settings.KOMIN_TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    # The client wrote "1.2.3.4" itself; our two proxies appended the rest.
    forwarded = "1.2.3.4, 198.51.100.7, 10.1.2.3"
    assert client_address(request("127.0.0.1", forwarded)) == "198.51.100.7"


def test_a_proxy_that_is_not_trusted_cannot_forward(settings):
    settings.KOMIN_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_garbage_in_the_header_stops_the_walk(settings):
    settings.KOMIN_TRUSTED_PROXIES = ["127.0.0.1"]
    assert client_address(request("127.0.0.1", "evil, not-an-ip")) == "127.0.0.1"
    assert client_address(request("127.0.0.1", "[2001:db8::5]:4711")) == "2001:db8::5"


def test_an_ipv6_client_is_counted_by_its_64(settings):
    settings.KOMIN_TRUSTED_PROXIES = []
    one, other = request("2001:db8:1:2::1"), request("2001:db8:1:2:ffff::9")
    assert client_identity(one) == client_identity(other) == "2001:db8:1:2::/64"
    assert client_identity(request("::ffff:192.0.2.1")) == "192.0.2.1"


def test_a_bad_trusted_proxy_setting_stops_the_start():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "KOMIN_DEV": "1", "KOMIN_TRUSTED_PROXIES": "10.0.0.0/33"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "KOMIN_TRUSTED_PROXIES: '10.0.0.0/33'" in result.stderr


def test_a_new_forwarded_address_per_try_does_not_reset_the_login_limit(api, people, settings):
    settings.KOMIN_RATE_LOGIN = "3/15minute"
    codes = [
        api.post(
            "/api/v1/auth/token/",
            {"username": "crew", "password": "wrong"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(5)
    ]
    assert codes == [400, 400, 400, 429, 429]
    right = api.post(
        "/api/v1/auth/token/",
        {"username": "crew", "password": "pw-crew"},
        format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    assert right.status_code == 429


def test_a_new_forwarded_address_per_report_does_not_reset_the_limit(api, cat, settings):
    settings.KOMIN_RATE_ANON_REPORTS = "3/hour"
    codes = [
        api.post(REPORTS, BODY, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{i}").status_code
        for i in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]


@pytest.mark.parametrize("action", ["support", "follow"])
def test_a_new_forwarded_address_per_action_does_not_reset_the_limit(
    api, make_report, settings, action
):
    settings.KOMIN_RATE_ANON_ACTIONS = "2/hour"
    url = f"{REPORTS}{make_report().reference}/{action}/"
    codes = [
        api.post(
            url,
            {"email": f"p{i}@example.org"},
            format="json",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
        ).status_code
        for i in range(4)
    ]
    assert codes[:2] != [429, 429] and codes[2:] == [429, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(api, cat, settings):
    settings.KOMIN_TRUSTED_PROXIES = ["127.0.0.1"]
    settings.KOMIN_RATE_ANON_REPORTS = "1/hour"
    first = api.post(REPORTS, BODY, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    again = api.post(REPORTS, BODY, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1")
    other = api.post(REPORTS, BODY, format="json", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert (first.status_code, again.status_code, other.status_code) == (201, 429, 201)
