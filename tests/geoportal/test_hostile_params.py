"""Hostile parameters (NUL bytes, control characters, odd Unicode digits, huge numbers)
never produce a 500: every URL pattern, every query string, every form."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from geoportal.errors import MACHINE_PREFIXES

pytestmark = pytest.mark.django_db

HOSTILE = ["%00", "a%00b", "%01", "%1F", "%C2%B2", "%D9%A3", "99999999999999999999", "-1"]


def _routes(patterns=None, prefix=""):
    """Every URL pattern as a concrete path template with {param} placeholders."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        pattern = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if pattern.startswith(("admin/", "i18n/")):
                continue
            yield from _routes(entry.url_patterns, prefix + pattern)
        elif isinstance(entry, URLPattern):
            yield prefix + pattern


def _fill(route: str, value: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?:\\\.\(\?P<fmt>\\w\+\)\)\?", ".json", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", value, route)
    route = re.sub(r"<(?:\w+:)?\w+>", value, route)
    route = route.replace("\\.", ".")
    return "/" + route


ROUTES = sorted(set(_routes()))


def message(response) -> str:
    """The error message in Komin's format or in Open311's list of errors."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if isinstance(body, list):  # Open311: [{"code": 400, "description": ...}]
        return body[0]["description"]
    assert body["error"]
    return body["detail"]


def _check(response, path):
    assert response.status_code < 500, (path, response.status_code)
    if path.startswith(MACHINE_PREFIXES) and response.status_code >= 400:
        assert message(response), path


@pytest.mark.parametrize("value", HOSTILE)
def test_every_url_pattern_refuses_hostile_path_values(haiti, cat, client, value):
    for route in ROUTES:
        path = _fill(route, value)
        _check(client.get(path), path)


@pytest.mark.parametrize("value", ["%00", "x%00", "%07", "%C2%B2", "99999999999999999999"])
def test_every_url_pattern_refuses_hostile_query_values(haiti, cat, client, value):
    names = "parent,category,service_code,name,area,page,page_size,limit,offset,zoom,level,lat"
    query = "&".join(f"{name}={value}" for name in names.split(","))
    for route in ROUTES:
        path = _fill(route, "schools")  # a real layer, so its views parse the query
        _check(client.get(f"{path}?{query}"), path)


DATE_NAMES = "created_after,created_before,start_date,end_date,from,to,datetime,day,updated_after"


@pytest.mark.parametrize(
    "value",
    ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00%2B14:00", "0001-01-01", "9999-12-31"],
)
def test_dates_at_the_edge_of_the_calendar_never_500(haiti, cat, client, people, value):
    client.force_login(people["administrator"])
    lists = [_fill(r, "X") for r in ROUTES if "X" not in _fill(r, "X").replace(".json", "")]
    for path in lists:  # lists are what take dates
        for name in DATE_NAMES.split(","):  # one at a time: views refuse unknown parameters
            _check(client.get(f"{path}?{name}={value}"), path)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/areas/?parent=%00",
        "/api/v1/reports/?category=%00",
        "/open311/v2/requests.json?service_code=%00",
        "/api/v1/layers/schools/features/?name=%00",
        "/api/v1/areas/%00/",
        "/ogc/collections/schools/items/%C2%B2",
        "/tiles/%00/0/0/0.pbf",
        "/api/v1/reports/26-%00/",
        "/api/v1/reports/subscriptions/%00/confirm/",
        "/stats/?area=%00",
        "/api/v1/reports/?page=99999999999999999999",
        "/api/v1/layers/schools/features/99999999999999999999/",
        "/api/v1/reports/photos/99999999999999999999/",
    ],
)
def test_named_hostile_requests_answer_4xx_with_a_message(haiti, cat, client, path):
    response = client.get(path)
    assert 400 <= response.status_code < 500, response.status_code
    assert message(response)


def test_nul_in_open311_form_field_is_refused(haiti, cat, client):
    from open311.keys import api_key_create

    _, key = api_key_create(name="probe")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": key,
            "service_code": "pothole",
            "lat": "18.5392",
            "long": "-72.3364",
            "description": "trou\x00",
            "attribute[size]": "large",
        },
    )
    assert response.status_code == 400, response.content
    assert "description" in response.content.decode()
