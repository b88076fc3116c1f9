"""Writes of participatory budgets: who may (communes.access: `participation.manage` for
administrators and planners, `participation.review` for supervisors and administrators;
any person with an account proposes and votes), in which phase, and the ballot rules."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status

from communes.access import Actor, can
from layers.geometry import GeometryError, point
from participation.funding import fund_winners
from participation.models import (
    PHASES,
    Ballot,
    BudgetRound,
    Phase,
    Proposal,
    ProposalModeration,
    Verification,
    VerifiedPhone,
)
from reports.errors import Forbidden, Invalid, NotFound


class AlreadyVoted(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "already_voted"
    default_detail = "You have already voted in this round: one ballot per person."


class PhoneAlreadyVoted(AlreadyVoted):
    default_detail = _lazy(
        "This phone number has already voted in this round: one ballot per person."
    )


class PhoneRequired(exceptions.PermissionDenied):
    default_code = "phone_not_verified"
    default_detail = _lazy("This round counts one ballot per phone number: verify yours first.")


def _account(actor: Actor) -> None:
    if actor.user is None:
        raise exceptions.NotAuthenticated("Log in with your account to take part.")


def _round(round_id: int, *, lock: bool = False) -> BudgetRound:
    qs = BudgetRound.objects.select_for_update() if lock else BudgetRound.objects
    found = qs.filter(pk=round_id).first()
    if found is None:
        raise NotFound(f"No budget round {round_id}.")
    return found


def _phase(budget_round: BudgetRound, wanted: str) -> None:
    if budget_round.phase != wanted:
        raise Invalid("phase", f"The round is in its {budget_round.phase} phase, not {wanted}.")


@transaction.atomic
def round_create(*, actor: Actor, jurisdiction, slug: str, amount: Decimal, **fields):
    if not can(actor, "participation.manage", jurisdiction):
        raise Forbidden("Only administrators and planners of the town hall open a round.")
    if BudgetRound.objects.filter(slug=slug).exists():
        raise Invalid("slug", f"A round {slug!r} exists already.")
    budget_round = BudgetRound(jurisdiction=jurisdiction, slug=slug, amount=amount, **fields)
    _dates(budget_round)
    budget_round.save()
    return budget_round


EDITABLE_UNTIL_VOTE = {"amount", "max_choices", "verification"}


@transaction.atomic
def round_update(*, actor: Actor, round_id: int, **fields) -> BudgetRound:
    """Titles and dates change until the results; what decides a ballot (amount, number
    of choices, verification) only before the vote opens."""
    budget_round = _round(round_id, lock=True)
    if not can(actor, "participation.manage", budget_round):
        raise Forbidden(_("Only administrators and planners of the town hall edit a round."))
    if budget_round.phase == Phase.RESULTS:
        raise Invalid("phase", _("The results are published: the round stays as it was."))
    voting = budget_round.phase == Phase.VOTING
    for name, value in fields.items():
        if voting and name in EDITABLE_UNTIL_VOTE and value != getattr(budget_round, name):
            raise Invalid(name, _("This cannot change once the vote is open."))
        setattr(budget_round, name, value)
    _dates(budget_round)
    budget_round.save()
    return budget_round


def _dates(budget_round: BudgetRound) -> None:
    start, end = budget_round.starts_on, budget_round.ends_on
    if start and end and end < start:
        raise Invalid("ends_on", _("The round ends on or after the day it starts."))


@transaction.atomic
def round_advance(*, actor: Actor, round_id: int, phase: str) -> BudgetRound:
    budget_round = _round(round_id, lock=True)
    if not can(actor, "participation.manage", budget_round):
        raise Forbidden("Only administrators and planners of the town hall move a round.")
    if phase not in PHASES or PHASES.index(phase) != PHASES.index(budget_round.phase) + 1:
        raise Invalid("phase", f"From {budget_round.phase} a round goes to the next phase only.")
    budget_round.phase = phase
    budget_round.save(update_fields=["phase"])
    if phase == Phase.RESULTS:
        fund_winners(actor=actor, budget_round=budget_round)
    return budget_round


@transaction.atomic
def proposal_submit(
    *, actor: Actor, round_id: int, title: str, estimated_cost: Decimal, description: str = "",
    lon: float | None = None, lat: float | None = None,
) -> Proposal:  # fmt: skip
    _account(actor)
    budget_round = _round(round_id)
    _phase(budget_round, Phase.PROPOSALS)
    location = None
    if lon is not None and lat is not None:
        try:
            location = point(lon, lat)
        except GeometryError as exc:
            raise Invalid("lat", str(exc)) from None
    if estimated_cost > budget_round.amount:
        raise Invalid("estimated_cost", "A proposal cannot cost more than the whole budget.")
    return Proposal.objects.create(
        round=budget_round, title=title, description=description, location=location,
        estimated_cost=estimated_cost, author=actor.user,
    )  # fmt: skip


@transaction.atomic
def proposal_review(
    *, actor: Actor, proposal_id: int, decision: str, reason: str = "", into: int | None = None
) -> Proposal:
    proposal = Proposal.objects.select_related("round").filter(pk=proposal_id).first()
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}.")
    if not can(actor, "participation.review", proposal.round):
        raise Forbidden("Only supervisors and administrators of the town hall review proposals.")
    if proposal.round.phase not in (Phase.PROPOSALS, Phase.REVIEW):
        raise Invalid("decision", "Proposals are reviewed before the vote opens.")
    if decision not in ("accepted", "rejected", "merged"):
        raise Invalid("decision", "One of accepted, rejected, merged.")
    if decision == "rejected" and not reason.strip():
        raise Invalid("reason", "A rejection gives its reason.")
    if decision == "merged":
        target = Proposal.objects.filter(pk=into, round=proposal.round).exclude(pk=proposal.pk)
        if not target.exists():
            raise Invalid("into", "Merge into another proposal of the same round.")
        proposal.merged_into_id = into
    proposal.status, proposal.reason = decision, reason.strip()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_moderate(*, actor: Actor, proposal_id: int, hidden: bool, reason: str) -> Proposal:
    """Hides (or shows again) a proposal with a reason, as reports are moderated; every
    decision is kept in ProposalModeration with who and when."""
    proposal = (
        Proposal.objects.select_for_update().select_related("round").filter(pk=proposal_id).first()
    )
    if proposal is None:
        raise NotFound(f"No proposal {proposal_id}.")
    if not can(actor, "participation.review", proposal.round):
        raise Forbidden("Only supervisors and administrators of the town hall moderate.")
    if not reason.strip():
        raise Invalid("reason", "Say why it is hidden or shown again.")
    if proposal.round.phase == Phase.RESULTS:
        raise Invalid("hidden", "The results are published: they stay as counted.")
    proposal.hidden, proposal.hidden_reason = hidden, reason.strip() if hidden else ""
    proposal.save(update_fields=["hidden", "hidden_reason"])
    ProposalModeration.objects.create(
        proposal=proposal, actor=actor.user, hidden=hidden, reason=reason.strip()
    )
    return proposal


def check_ballot(budget_round: BudgetRound, chosen: list[Proposal]) -> None:
    """Knapsack: the chosen proposals' costs add up to at most the budget; or, with a
    fixed number, at most that many."""
    if not chosen:
        raise Invalid("proposals", "Choose at least one proposal.")
    if budget_round.max_choices is not None:
        if len(chosen) > budget_round.max_choices:
            raise Invalid("proposals", f"Choose at most {budget_round.max_choices} proposals.")
        return
    total = sum((p.estimated_cost for p in chosen), Decimal("0"))
    if total > budget_round.amount:
        raise Invalid(
            "proposals",
            f"Your choices cost {total} HTG, over the budget of {budget_round.amount} HTG.",
        )


def ballot_cast(*, actor: Actor, round_id: int, proposal_ids: list[int]) -> Ballot:
    _account(actor)
    with transaction.atomic():
        budget_round = _round(round_id)
        _phase(budget_round, Phase.VOTING)
        wanted = set(proposal_ids)
        chosen = list(
            Proposal.objects.filter(
                round=budget_round, status="accepted", hidden=False, pk__in=wanted
            )
        )
        if len(chosen) != len(wanted) or len(wanted) != len(proposal_ids):
            raise Invalid("proposals", "Choose distinct accepted proposals of this round.")
        check_ballot(budget_round, chosen)
        phone = _voting_phone(actor, budget_round)
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(round=budget_round, voter=actor.user, phone=phone)
        except IntegrityError as exc:
            constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", "")
            refused = PhoneAlreadyVoted if constraint == "ballot_one_per_phone" else AlreadyVoted
            raise refused() from None
        ballot.proposals.set(chosen)
    return ballot


def _voting_phone(actor: Actor, budget_round: BudgetRound) -> str | None:
    """The voter's verified number in a round verified by phone, locked until the ballot
    commits (moving the number to another account waits); None otherwise."""
    if budget_round.verification != Verification.PHONE:
        return None
    held = VerifiedPhone.objects.select_for_update().filter(user=actor.user).first()
    if held is None:
        raise PhoneRequired()
    return held.phone
