"""Participatory budget rounds: residents propose, staff review, residents vote within
the budget (a knapsack ballot) or for a fixed number of proposals, one ballot each."""

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q


class Phase(models.TextChoices):
    PROPOSALS = "proposals", "Proposals"
    REVIEW = "review", "Technical review"
    VOTING = "voting", "Voting"
    RESULTS = "results", "Results"


PHASES = list(Phase.values)  # in order: a round only moves forward


class BudgetRound(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    jurisdiction = models.ForeignKey(
        "communes.Jurisdiction", on_delete=models.PROTECT, related_name="budget_rounds"
    )
    title_fr = models.CharField(max_length=200)
    title_ht = models.CharField(max_length=200, blank=True)
    title_en = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=16, decimal_places=2, help_text="HTG")
    # Empty: choose proposals up to the budget (knapsack); else at most this many.
    max_choices = models.PositiveSmallIntegerField(null=True, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PROPOSALS)
    sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="round_amount_positive"),
            models.CheckConstraint(condition=Q(phase__in=PHASES), name="round_phase_known"),
        ]

    def __str__(self) -> str:
        return self.slug


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        MERGED = "merged", "Merged"
        REJECTED = "rejected", "Rejected"

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    estimated_cost = models.DecimalField(max_digits=16, decimal_places=2)
    location = models.PointField(srid=4326, null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    reason = models.CharField(max_length=500, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Moderation as for reports: hidden from the public (and the ballot) with a reason.
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    # The public works project it became when the round's results funded it.
    project = models.OneToOneField(
        "projects.Project", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="proposal",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["round", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gt=0), name="proposal_cost_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="proposal_rejection_has_reason",
            ),
        ]


class ProposalModeration(models.Model):
    """The audit trail of moderation: who hid or showed a proposal, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="moderations")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    hidden = models.BooleanField()
    reason = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "at", "pk"]


class Ballot(models.Model):
    """One per person and round: the unique constraint is what stops a second vote, also
    when two arrive at the same instant (the database refuses the later insert)."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    proposals = models.ManyToManyField(Proposal, related_name="ballots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter")
        ]


# Consultations live in their own module; imported here so Django finds the models.
from participation.consultations.models import (  # noqa: E402, F401
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    Participant,
)
