"""API keys: issued by staff (admin, command), stored hashed, revocable."""

import io

import pytest
from django.core.management import call_command

from open311.models import ApiKey, hash_key

pytestmark = pytest.mark.django_db


def test_staff_issue_a_key_in_the_admin_and_see_it_once(client, people):
    client.force_login(people["administrator"])
    response = client.post(
        "/admin/open311/apikey/add/", {"name": "Radio Kiskeya app", "active": "on"}, follow=True
    )
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Radio Kiskeya app")
    shown = [str(m) for m in response.context["messages"]]
    raw = shown[0].split(" is ")[1].split(" ")[0]
    assert hash_key(raw) == key.key_hash and raw not in str(ApiKey.objects.values())


def test_the_command_issues_and_revokes_keys(api, cat, people):
    out = io.StringIO()
    call_command("open311_key", "partner", "--user", "supervisor", stdout=out)
    raw = out.getvalue().strip()
    key = ApiKey.objects.get(name="partner")
    assert key.user == people["supervisor"] and key.prefix == raw[:8]
    body = {
        "api_key": raw,
        "service_code": "pothole",
        "lat": 18.5392,
        "long": -72.3364,
        "attribute[size]": "small",
    }
    assert api.post("/open311/v2/requests.json", body).status_code == 201
    call_command("open311_key", "--revoke", raw[:8], stdout=io.StringIO())
    assert api.post("/open311/v2/requests.json", body).status_code == 403
