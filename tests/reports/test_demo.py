"""The demo: one account per role, the Haitian catalogue, and reports in varied states."""

import io

import pytest
from django.contrib.auth import get_user_model

from communes import demo as accounts
from communes.access import actor_for
from communes.models import Jurisdiction
from reports import demo
from reports.models import Category, Report, RoutingRule, Team
from reports.workflow import Role, Status

pytestmark = pytest.mark.django_db
TOWN_HALLS = {"HT0111", "HT0112", "HT0311"}


def test_demo_loads_once_with_every_role_and_varied_reports(haiti):
    accounts.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    users = get_user_model().objects
    roles = {
        name: actor_for(users.get(username=name)).role
        for name in ("citizen", "crew", "supervisor", "planner", "manager", "admin")
    }
    assert roles == {
        "citizen": Role.CITIZEN,
        "crew": Role.CREW,
        "supervisor": Role.SUPERVISOR,
        "planner": Role.PLANNER,
        "manager": Role.ADMINISTRATOR,
        "admin": Role.ADMINISTRATOR,
    }
    category = Category.objects.get(code="water-point-broken")
    assert category.name_ht == "Pwen dlo ki pa mache" and category.questions.count() == 3
    assert RoutingRule.objects.filter(jurisdiction=None, category=None, area=None).count() == 1
    reports = Report.objects.filter(source="demo")
    assert reports.count() == demo.DEMO_COUNT + 2
    assert set(reports.values_list("status", flat=True)) >= {
        Status.SUBMITTED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.CLOSED,
        Status.REOPENED,
        Status.DUPLICATE,
    }
    assert set(reports.values_list("commune__pcode", flat=True)) & {"HT0111", "HT0311"} == {
        "HT0111",
        "HT0311",
    }
    assert not reports.filter(team=None).exists()
    # Every team that routing can choose has someone to see its tickets.
    routed = Team.objects.filter(routing_rules__isnull=False).distinct()
    assert not routed.filter(members=None).exists()
    # Three town halls with their own staff; each demo report went to the one containing it.
    placed = list(reports.values_list("commune__pcode", "jurisdiction__pcodes"))
    assert all([commune] == pcodes for commune, pcodes in placed if commune in TOWN_HALLS)
    assert all(pcodes == [] for commune, pcodes in placed if commune not in TOWN_HALLS)
    assert set(reports.values_list("jurisdiction__slug", flat=True)) >= {
        "port-au-prince",
        "cap-haitien",
    }
    delmas = actor_for(users.get(username="delmas-supervisor"))
    delmas_id = Jurisdiction.objects.get(slug="delmas", pcodes=["HT0112"]).pk
    assert delmas.role == Role.SUPERVISOR and delmas.grants == {(delmas_id, Role.SUPERVISOR)}
    assert not reports.filter(jurisdiction__slug="cap-haitien").exclude(team__name__icontains="Cap")
    demo.load(stdout=io.StringIO())
    assert Report.objects.filter(source="demo").count() == demo.DEMO_COUNT + 2
