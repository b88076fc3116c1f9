"""Open311 limits: posts per API key wherever the key is sent, every request per client,
and a 429 that says when to come back, in the client's language."""

import pytest

from open311.keys import api_key_create
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


@pytest.fixture
def key(cat):
    return api_key_create(name="test app")[1]


def post(api, url: str, address: str):
    body = {
        "service_code": "pothole",
        "lat": f.PAP[1],
        "long": f.PAP[0],
        "attribute[size]": "large",
        "description": "Twou",
    }
    return api.post(url, body, HTTP_X_FORWARDED_FOR=address)


def test_a_key_in_the_query_string_is_limited_like_one_in_the_body(api, key, settings):
    settings.KOMIN_RATE_OPEN311_POST = "2/hour"
    url = f"{BASE}/requests.json?api_key={key}"
    codes = [post(api, url, f"198.51.100.{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]
    # The same key in the body shares the window.
    in_body = api.post(
        f"{BASE}/requests.json",
        {"api_key": key, "service_code": "pothole", "lat": f.PAP[1], "long": f.PAP[0]},
    )
    assert in_body.status_code == 429


@pytest.mark.parametrize(
    "path",
    ["requests.json", "requests/XX-0000.json", "servicerequestupdates.json", "services.json"],
)
def test_reads_are_limited_per_client(api, cat, settings, path):
    settings.KOMIN_RATE_OPEN311_CLIENT = "2/minute"
    codes = [api.get(f"{BASE}/{path}").status_code for _ in range(3)]
    assert 429 not in codes[:2] and codes[2] == 429


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ht", "Twòp demann. Eseye ankò nan"), ("fr", "Trop de requêtes. Réessayez dans")],
)
def test_a_429_says_when_to_come_back_in_the_clients_language(api, cat, settings, lang, words):
    settings.KOMIN_RATE_OPEN311_CLIENT = "1/hour"
    api.get(f"{BASE}/requests.json")
    limited = api.get(f"{BASE}/requests.json", {"lang": lang})
    assert limited.status_code == 429 and 0 < int(limited["Retry-After"]) <= 3600
    assert limited.json()[0]["description"].startswith(words)
    xml = api.get(f"{BASE}/requests.xml")
    assert xml.status_code == 429 and b"<errors>" in xml.content and "Retry-After" in xml
