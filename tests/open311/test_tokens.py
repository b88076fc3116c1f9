"""Open311's `token` is a lookup handle (GeoReport v2), never the reporter's private
tracking token: an API client filing a request does not get the reporter's rights."""

import json
from xml.etree import ElementTree as ET

import pytest

from open311.keys import api_key_create
from reports.models import Report
from tests.open311.test_georeport import BASE, post_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def key(cat):
    return api_key_create(name="test app")[1]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_answers_a_lookup_token_and_never_the_tracking_token(api, key, fmt):
    response = post_request(api, key, fmt)
    assert response.status_code == 201
    if fmt == "json":
        body = json.loads(response.content)[0]
        reference, token = body["service_request_id"], body["token"]
    else:
        body = ET.fromstring(response.content)
        reference = body.findtext("request/service_request_id")
        token = body.findtext("request/token")
    report = Report.objects.get(reference=reference)
    assert report.token not in response.content.decode()
    assert token and token != report.token
    found = api.get(f"{BASE}/tokens/{token}.json")
    assert found.status_code == 200
    assert found.json() == [{"service_request_id": reference, "token": token}]


def test_the_tracking_token_and_forged_tokens_look_nothing_up(api, key):
    reference = post_request(api, key).json()[0]["service_request_id"]
    report = Report.objects.get(reference=reference)
    assert api.get(f"{BASE}/tokens/{report.token}.json").status_code == 404
    forged = f"{reference}-{'0' * 24}"
    assert api.get(f"{BASE}/tokens/{forged}.json").status_code == 404
    assert api.get(f"{BASE}/tokens/{reference}.json").status_code == 404
