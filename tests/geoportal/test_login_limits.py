"""Password log-in limits on every way in: per account and client, and per client;
never per account alone, so nobody can lock a person out from elsewhere."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DOORS = {
    "admin": ("/admin/login/", 302),
    "staff page": ("/login/", 302),
    "API token": ("/api/v1/auth/token/", 200),
}
ATTACKER, OWNER = "198.51.100.66", "203.0.113.10"


@pytest.fixture(autouse=True)
def quick_hasher(settings):
    # Dozens of log-ins per test: the slow production hasher adds nothing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def account(door: str) -> tuple[str, str]:
    """Only staff may use the admin's door."""
    return ("admin", "pw-admin") if door == "admin" else ("supervisor", "pw-supervisor")


def log_in(door: str, username: str, password: str, address: str = ATTACKER, **headers):
    url, _ = DOORS[door]
    return Client(REMOTE_ADDR=address).post(
        url, {"username": username, "password": password}, **headers
    )


@pytest.mark.parametrize("door", DOORS)
def test_guessing_stops_even_before_the_right_password(people, settings, door):
    settings.KOMIN_RATE_LOGIN = "5/15minute"
    codes = [log_in(door, "admin", f"guess-{i}").status_code for i in range(7)]
    assert 429 not in codes[:5] and codes[5:] == [429, 429]
    right = log_in(door, "admin", "pw-admin")
    assert right.status_code == 429 and int(right["Retry-After"]) > 0


@pytest.mark.parametrize("door", DOORS)
def test_an_attacker_elsewhere_cannot_lock_the_owner_out(people, settings, door):
    settings.KOMIN_RATE_LOGIN = "3/15minute"
    name, password = account(door)
    for i in range(5):
        log_in(door, name, f"guess-{i}")
    assert log_in(door, name, "guess-5").status_code == 429
    assert log_in(door, name, password, OWNER).status_code == DOORS[door][1]


def test_one_client_trying_many_accounts_is_stopped(people, settings):
    settings.KOMIN_RATE_LOGIN_CLIENT = "4/hour"
    names = ["admin", "crew", "planner", "supervisor", "citizen"]
    codes = [log_in("API token", name, "password1").status_code for name in names]
    assert codes == [400, 400, 400, 400, 429]
    assert log_in("API token", "crew", "pw-crew", OWNER).status_code == 200


def test_a_success_clears_the_owners_own_typos(people, settings):
    settings.KOMIN_RATE_LOGIN = "3/15minute"
    for _ in range(3):
        assert log_in("staff page", "crew", "typo", OWNER).status_code == 200  # form again
        assert log_in("staff page", "crew", "typo", OWNER).status_code == 200
        assert log_in("staff page", "crew", "pw-crew", OWNER).status_code == 302


def test_a_locked_page_says_so_in_the_visitors_language(people, settings):
    settings.KOMIN_RATE_LOGIN = "1/15minute"
    log_in("staff page", "crew", "typo")
    page = log_in("staff page", "crew", "typo", HTTP_ACCEPT_LANGUAGE="ht", HTTP_ACCEPT="text/html")
    assert page.status_code == 429 and page["Content-Type"].startswith("text/html")
    assert "Twòp tantativ pou konekte ki pa mache." in page.content.decode()
    api = log_in("API token", "crew", "typo", HTTP_ACCEPT_LANGUAGE="en")
    assert api.json()["error"] == "throttled"
    assert api.json()["detail"].startswith("Too many failed log-in attempts. Try again in")


def test_token_requests_without_a_password_are_counted_too(people, settings):
    settings.KOMIN_RATE_ANON_READS = "2/minute"
    codes = [log_in("API token", "crew", "").status_code for _ in range(3)]
    assert codes == [400, 400, 429]
