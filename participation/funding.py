"""Winning proposals become public works projects when a round's results are published:
one project per funded proposal (its title, description, point and estimated cost as the
planned amount of a participatory-budget line), linked both ways (Proposal.project and
Project.proposal). Runs inside the transaction that moves the round to its results."""

import json
from datetime import date

from django.contrib.gis.db.models.functions import PointOnSurface

from communes.access import Actor
from layers.models import AdminArea
from layers.selectors.generations import current_generation_id
from participation.models import BudgetRound, Proposal
from participation.selectors import results
from projects.models import FundingSource
from projects.services import budget_line_save, project_create
from reports.errors import Invalid

SOURCE = "participatory-budget"


def _place(proposal: Proposal, budget_round: BudgetRound) -> dict:
    """The proposal's point, or a point inside the town hall's area when it gave none."""
    if proposal.location is not None:
        return json.loads(proposal.location.json)
    area = (
        AdminArea.objects.filter(
            generation_id=current_generation_id(), pcode__in=budget_round.jurisdiction.pcodes
        )
        .annotate(inside=PointOnSurface("geom"))
        .first()
    )
    if area is None:
        raise Invalid("phase", f"Proposal {proposal.pk} has no point and the town has no area.")
    return json.loads(area.inside.json)


def fund_winners(*, actor: Actor, budget_round: BudgetRound) -> list[int]:
    """Creates the projects of the funded proposals not yet linked; returns their ids."""
    funded = [row["id"] for row in results(budget_round)["proposals"] if row["funded"]]
    FundingSource.objects.get_or_create(
        code=SOURCE, defaults={"name": "Budget participatif", "kind": "commune"}
    )
    made = []
    for proposal in Proposal.objects.filter(pk__in=funded, project__isnull=True):
        project = project_create(
            actor=actor, jurisdiction=budget_round.jurisdiction,
            slug=f"{budget_round.slug}-{proposal.pk}"[:80], geometry=_place(proposal, budget_round),
            title_fr=proposal.title[:200], description_fr=proposal.description, sector="other",
            sample=budget_round.sample,
        )  # fmt: skip
        budget_line_save(actor=actor, project_id=project.pk, year=date.today().year,
                         funding_source=SOURCE, planned=proposal.estimated_cost)  # fmt: skip
        proposal.project = project
        proposal.save(update_fields=["project"])
        made.append(project.pk)
    return made
