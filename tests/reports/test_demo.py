"""The demo: one account per role, the Haitian catalogue, and reports in varied states."""

import io

import pytest
from django.contrib.auth import get_user_model

from geoportal import demo as accounts
from reports import demo
from reports.models import Category, Report, RoutingRule
from reports.roles import actor_for
from reports.workflow import Role, Status

pytestmark = pytest.mark.django_db


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
    assert RoutingRule.objects.filter(category=None, area=None).count() == 1
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
    demo.load(stdout=io.StringIO())
    assert Report.objects.filter(source="demo").count() == demo.DEMO_COUNT + 2
