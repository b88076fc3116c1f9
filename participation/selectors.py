"""Reads: a round with its proposals, and its results computed from the ballots."""

from django.db.models import Count
from django.utils.translation import gettext as _

from participation.models import BudgetRound, Proposal, ProposalComment


def round_by_slug(slug: str) -> BudgetRound | None:
    return BudgetRound.objects.select_related("jurisdiction").filter(slug=slug).first()


def results(budget_round: BudgetRound) -> dict:
    """Votes per accepted proposal; funded in order of votes (ties: the cheaper, then the
    older), each one that still fits in what is left of the budget (a proposal too dear
    for the remainder is skipped, not the end of the list). The numbers behind it are
    published with it."""
    proposals = (
        Proposal.objects.filter(round=budget_round, status="accepted", hidden=False)
        .annotate(votes=Count("ballots"))
        .order_by("-votes", "estimated_cost", "pk")
    )
    left = budget_round.amount
    rows = []
    for p in proposals:
        funded = p.estimated_cost <= left
        if funded:
            left -= p.estimated_cost
        rows.append({"id": p.pk, "title": p.title, "estimated_cost": str(p.estimated_cost),
                     "votes": p.votes, "funded": funded})  # fmt: skip
    return {
        "round": budget_round.slug,
        "budget": str(budget_round.amount),
        "ballots": budget_round.ballots.count(),
        "allocated": str(budget_round.amount - left),
        "left": str(left if rows else budget_round.amount),
        "rule": "by votes; each proposal funded if it fits in what is left",
        "proposals": rows,
    }


def proposal_out(p: Proposal) -> dict:
    return {
        "id": p.pk,
        "title": p.title,
        "description": p.description,
        "estimated_cost": str(p.estimated_cost),
        "status": p.status,
        "reason": p.reason,
        "merged_into": p.merged_into_id,
        "project": p.project.slug if p.project_id else None,
        "location": {"lon": p.location.x, "lat": p.location.y} if p.location else None,
    }


def round_out(r: BudgetRound, lang: str = "fr") -> dict:
    return {
        "slug": r.slug,
        "jurisdiction": r.jurisdiction.slug,
        "title": getattr(r, f"title_{lang}", "") or r.title_fr,
        "amount": str(r.amount),
        "currency": "HTG",
        "ballot": "fixed" if r.max_choices else "knapsack",
        "max_choices": r.max_choices,
        "verification": r.verification,
        "starts_on": r.starts_on.isoformat() if r.starts_on else None,
        "ends_on": r.ends_on.isoformat() if r.ends_on else None,
        "phase": r.phase,
        "sample": r.sample,
        "proposals": [
            proposal_out(p)
            for p in r.proposals.select_related("project")
            .exclude(status="rejected")
            .exclude(hidden=True)
        ],
    }


def public_comments(proposal_id: int, *, limit: int, offset: int) -> tuple[int, list[dict]]:
    """The shown comments of a visible proposal, oldest first: their number and a page.
    Authors appear only under the name they chose, never their account."""
    shown = ProposalComment.objects.filter(
        proposal_id=proposal_id, hidden=False, proposal__hidden=False
    ).order_by("created_at", "pk")
    page = shown[offset : offset + limit]
    return shown.count(), [comment_out(c) for c in page]


def comment_out(c: ProposalComment) -> dict:
    return {
        "id": c.pk,
        "author": c.display_name or _("Resident"),
        "body": c.body,
        "created_at": c.created_at.isoformat(),
    }
