"""Participatory budgets in the Django admin, scoped like the API: rounds and proposals
to the managers (`participation.manage`) and reviewers (`participation.review`) of their
town hall; comments and the moderation trails to reviewers. Ballots are not listed (who
voted for what stays out of sight); verified numbers are national contact data, seen and
unlinked by those who hold `gateway.edit`, like the SMS block list."""

from django.contrib import admin

from communes.access import can
from communes.admin import ScopedAdmin
from messaging.admin import NumbersAdmin
from participation.models import (
    BudgetRound,
    CommentModeration,
    Proposal,
    ProposalComment,
    ProposalModeration,
    VerifiedPhone,
)


class ByRoundAdmin(ScopedAdmin):
    """Rows that belong to a round: permissions asked of the round (`round_of`)."""

    def round_of(self, obj):
        return obj.round

    def _owner(self, obj):
        return None if obj is None else self.round_of(obj)

    def has_view_permission(self, request, obj=None):
        return can(request.user, self.view_action, self._owner(obj))

    def has_change_permission(self, request, obj=None):
        return can(request.user, self.edit_action, self._owner(obj))

    has_delete_permission = has_change_permission

    def has_add_permission(self, request):
        return False  # residents propose and comment in the app

    def save_model(self, request, obj, form, change):
        admin.ModelAdmin.save_model(self, request, obj, form, change)


@admin.register(BudgetRound)
class BudgetRoundAdmin(ScopedAdmin):
    view_action = edit_action = "participation.manage"
    scope_fields = {"team": None}
    list_display = ["slug", "title_fr", "jurisdiction", "phase", "amount", "verification",
                    "starts_on", "ends_on", "sample"]  # fmt: skip
    list_filter = ["phase", "verification", "sample", "jurisdiction"]
    search_fields = ["slug", "title_fr"]
    readonly_fields = ["phase"]  # moves forward only, through the service (results fund)


@admin.register(Proposal)
class ProposalAdmin(ByRoundAdmin):
    view_action = edit_action = "participation.review"
    scope_fields = {"jurisdiction": "round__jurisdiction", "team": None}
    list_display = ["title", "round", "status", "estimated_cost", "hidden", "created_at"]
    list_filter = ["status", "hidden", "round"]
    search_fields = ["title"]
    readonly_fields = ["round", "author", "hidden", "hidden_reason", "project"]


@admin.register(ProposalComment)
class ProposalCommentAdmin(ByRoundAdmin):
    view_action = edit_action = "participation.review"
    scope_fields = {"jurisdiction": "proposal__round__jurisdiction", "team": None}
    list_display = ["pk", "proposal", "display_name", "hidden", "created_at"]
    list_filter = ["hidden"]
    search_fields = ["body"]
    # Hiding goes through the moderation API (a reason, audited), not a checkbox here.
    readonly_fields = ["proposal", "author", "display_name", "body", "hidden", "hidden_reason"]

    def round_of(self, obj):
        return obj.proposal.round


class TrailAdmin(ByRoundAdmin):
    view_action = edit_action = "participation.review"
    list_display = ["at", "actor", "hidden", "reason"]

    def has_change_permission(self, request, obj=None):
        return False  # an audit trail is not edited

    has_delete_permission = has_change_permission


@admin.register(ProposalModeration)
class ProposalModerationAdmin(TrailAdmin):
    scope_fields = {"jurisdiction": "proposal__round__jurisdiction", "team": None}
    list_display = ["proposal", *TrailAdmin.list_display]

    def round_of(self, obj):
        return obj.proposal.round


@admin.register(CommentModeration)
class CommentModerationAdmin(TrailAdmin):
    scope_fields = {"jurisdiction": "comment__proposal__round__jurisdiction", "team": None}
    list_display = ["comment", *TrailAdmin.list_display]

    def round_of(self, obj):
        return obj.comment.proposal.round


@admin.register(VerifiedPhone)
class VerifiedPhoneAdmin(NumbersAdmin):
    list_display = ["phone", "user", "verified_at"]
    search_fields = ["phone"]
    readonly_fields = ["user", "phone", "verified_at"]

    def has_add_permission(self, request):
        return False  # only the person, with the code sent to the number
