"""Publishing a round's results turns its funded proposals into public works projects,
linked both ways, with the estimated cost as a planned participatory-budget line."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point

from participation.models import BudgetRound, Proposal
from projects.models import Project
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def test_funded_proposals_become_linked_projects_when_results_are_published(api, towns):
    budget_round = BudgetRound.objects.create(slug="pb-win", jurisdiction=towns.j["delmas"],
                                              title_fr="PB", amount=Decimal("1000.00"),
                                              phase="voting")  # fmt: skip
    pinned = Proposal.objects.create(round=budget_round, title="Fontaine", status="accepted",
                                     estimated_cost=Decimal("600.00"),
                                     location=Point(*f.DELMAS, srid=4326))  # fmt: skip
    unpinned = Proposal.objects.create(round=budget_round, title="Banc", status="accepted",
                                       estimated_cost=Decimal("300.00"))  # fmt: skip
    loser = Proposal.objects.create(round=budget_round, title="Stade", status="accepted",
                                    estimated_cost=Decimal("900.00"))  # fmt: skip
    for i, chosen in enumerate([[pinned, unpinned], [pinned], [loser]]):
        api.force_authenticate(get_user_model().objects.create_user(f"w{i}"))
        url = f"/api/v1/participation/rounds/{budget_round.slug}/ballot/"
        assert (
            api.post(url, {"proposals": [p.pk for p in chosen]}, format="json").status_code == 201
        )
    api.force_authenticate(towns.people.delmas_planner)
    moved = api.post(f"/api/v1/participation/rounds/{budget_round.slug}/phase/",
                     {"phase": "results"}, format="json")  # fmt: skip
    assert moved.status_code == 200
    projects = {p["title"]: p["project"] for p in moved.json()["proposals"]}
    assert projects["Stade"] is None  # 900 no longer fits after 600 + 300
    made = Project.objects.get(slug=projects["Fontaine"])
    assert made.geom.equals(pinned.location) and made.jurisdiction == towns.j["delmas"]
    assert made.budget_lines.get().planned == Decimal("600.00")
    assert made.areas.exists()  # placed in its section by PostGIS
    banc = Project.objects.get(slug=projects["Banc"])
    assert banc.areas.exists()  # no point given: a point inside the town hall's area
    detail = api.get(f"/api/v1/projects/{made.slug}/").json()
    assert detail["from_proposal"] == {"id": pinned.pk, "round": "pb-win",
                                       "page": "/budget/pb-win/"}  # fmt: skip
