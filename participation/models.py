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


class Verification(models.TextChoices):
    ACCOUNT = "account", "One ballot per account"
    PHONE = "phone", "One ballot per verified phone number (and per account)"


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
    verification = models.CharField(
        max_length=10, choices=Verification.choices, default=Verification.ACCOUNT
    )
    starts_on = models.DateField(null=True, blank=True, help_text="Shown to residents.")
    ends_on = models.DateField(null=True, blank=True, help_text="Shown to residents.")
    sample = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="round_amount_positive"),
            models.CheckConstraint(condition=Q(phase__in=PHASES), name="round_phase_known"),
            models.CheckConstraint(
                condition=Q(verification__in=Verification.values), name="round_verification_known"
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="round_dates_in_order",
            ),
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

    def __str__(self) -> str:
        return self.title


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
    """One per person and round: the unique constraints are what stop a second vote, also
    when two arrive at the same instant (the database refuses the later insert). In a
    round verified by phone, the ballot keeps the verified number it was cast with (staff
    side only), so that a number moved to another account cannot vote again."""

    round = models.ForeignKey(BudgetRound, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    phone = models.CharField(max_length=20, null=True, blank=True)
    proposals = models.ManyToManyField(Proposal, related_name="ballots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "voter"], name="ballot_one_per_voter"),
            models.UniqueConstraint(
                fields=["round", "phone"],
                condition=Q(phone__isnull=False),
                name="ballot_one_per_phone",
            ),
        ]


class VerifiedPhone(models.Model):
    """A phone number (E.164) proven by a code sent to it; one account at a time holds
    it (proving it from another account moves it there) and an account holds one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_phone"
    )
    phone = models.CharField(max_length=20, unique=True)
    verified_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"verified phone of user {self.user_id}"


class PhoneCode(models.Model):
    """A one-time code sent by SMS: only its keyed hash is kept; it expires, counts the
    wrong guesses and is used once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_codes"
    )
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"phone code {self.pk}"


class ProposalComment(models.Model):
    """A resident's comment on a proposal, shown under the display name they chose (or
    "Resident"); moderated like proposals (hidden with a reason, audited)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    display_name = models.CharField(max_length=60, blank=True)
    body = models.TextField()
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(hidden=True) | ~Q(hidden_reason=""), name="comment_hidden_has_reason"
            )
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on proposal {self.proposal_id}"


class CommentModeration(models.Model):
    """The audit trail of comment moderation: who hid or showed it, when and why."""

    comment = models.ForeignKey(
        ProposalComment, on_delete=models.CASCADE, related_name="moderations"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    hidden = models.BooleanField()
    reason = models.CharField(max_length=500)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["comment", "at", "pk"]


# Consultations live in their own module; imported here so Django finds the models.
from participation.consultations.models import (  # noqa: E402, F401
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    Participant,
)
