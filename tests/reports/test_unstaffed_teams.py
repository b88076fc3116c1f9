"""Supervisors are warned of tickets routed to a team with no members."""

import pytest
from django.test import Client

from tests.reports.test_api import login

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


@pytest.fixture
def routed(cat, make_report, people):
    cat["teams"]["water"].members.clear()  # nobody left in the water team
    water = make_report("water", answers={})
    pothole = make_report()
    assert (water.team.name, pothole.team.name) == ("water", "roads-pap")
    return water, pothole


def test_the_ticket_list_flags_tickets_of_a_team_with_no_members(api, routed, people):
    water, pothole = routed
    body = login(api, people["supervisor"]).get(URL).json()
    flags = {r["reference"]: r["staff"]["team_unstaffed"] for r in body["results"]}
    assert flags == {water.reference: True, pothole.reference: False}
    detail = api.get(f"{URL}{water.reference}/").json()
    assert detail["staff"]["team_unstaffed"] is True
    api.credentials()
    assert "staff" not in api.get(f"{URL}{water.reference}/").json()


def test_the_dashboard_warns_supervisors_only(routed, people):
    browser = Client()
    browser.force_login(people["supervisor"])
    page = browser.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="unstaffed"' in page and "water: 1 open ticket, and nobody in the team" in page
    browser.force_login(people["planner"])
    assert 'id="unstaffed"' not in browser.get("/dashboard/").content.decode()
