"""Moderation of proposals as for reports: hidden with a reason by supervisors and
administrators, audited, gone from the public page and from the ballot."""

from decimal import Decimal

import pytest

from participation.models import BudgetRound, Proposal, ProposalModeration

pytestmark = pytest.mark.django_db


def test_a_supervisor_hides_a_proposal_with_a_reason_and_it_is_audited(api, towns):
    budget_round = BudgetRound.objects.create(slug="pb-mod", jurisdiction=towns.j["delmas"],
                                              title_fr="PB", amount=Decimal("1000.00"),
                                              phase="voting")  # fmt: skip
    rude, fine = (Proposal.objects.create(round=budget_round, title=t, status="accepted",
                                          estimated_cost=Decimal("100.00")) for t in ("Rude", "Fine"))  # fmt: skip
    url = f"/api/v1/participation/proposals/{rude.pk}/moderate/"
    api.force_authenticate(towns.people.citizen)
    assert api.post(url, {"hidden": True, "reason": "x"}, format="json").status_code == 403
    api.force_authenticate(towns.people.delmas_supervisor)
    no_reason = api.post(url, {"hidden": True, "reason": " "}, format="json")
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["detail"]
    done = api.post(url, {"hidden": True, "reason": "Propos injurieux"}, format="json")
    assert done.json() == {"id": rude.pk, "hidden": True, "reason": "Propos injurieux"}
    api.force_authenticate(None)
    public = api.get("/api/v1/participation/rounds/pb-mod/").json()
    assert [p["title"] for p in public["proposals"]] == ["Fine"]
    api.force_authenticate(towns.people.citizen)
    ballot = api.post("/api/v1/participation/rounds/pb-mod/ballot/",
                      {"proposals": [rude.pk]}, format="json")  # fmt: skip
    assert ballot.status_code == 400
    api.force_authenticate(towns.people.delmas_supervisor)
    assert (
        api.post(url, {"hidden": False, "reason": "Reformulée"}, format="json").status_code == 200
    )
    trail = list(
        ProposalModeration.objects.filter(proposal=rude).values_list("hidden", "reason", "actor")
    )
    assert trail == [(True, "Propos injurieux", towns.people.delmas_supervisor.pk),
                     (False, "Reformulée", towns.people.delmas_supervisor.pk)]  # fmt: skip
    assert fine.moderations.count() == 0
