"""Writes of comments on proposals: signed-in residents comment (length limits, a rate
per account through geoportal.limits); supervisors and administrators of the town hall
(`participation.review`) hide or show a comment with a reason, audited in
CommentModeration, as proposals are moderated."""

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework import exceptions

from communes.access import Actor, can
from geoportal.limits.limiter import take
from participation.models import CommentModeration, Proposal, ProposalComment
from reports.errors import Forbidden, Invalid, NotFound

BODY_MIN, BODY_MAX, NAME_MAX = 2, 1000, 60


def visible_proposal(proposal_id: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("round")
        .filter(pk=proposal_id, hidden=False)
        .exclude(status="rejected")
        .first()
    )
    if proposal is None:
        raise NotFound(_("No proposal %(id)s.") % {"id": proposal_id})
    return proposal


def comment_add(
    *, actor: Actor, proposal_id: int, body: str, display_name: str = ""
) -> ProposalComment:
    if actor.user is None:
        raise exceptions.NotAuthenticated(_("Log in with your account to comment."))
    body, display_name = (body or "").strip(), (display_name or "").strip()
    if not BODY_MIN <= len(body) <= BODY_MAX:
        raise Invalid("body", _("A comment has %(min)d to %(max)d characters.")
                      % {"min": BODY_MIN, "max": BODY_MAX})  # fmt: skip
    if len(display_name) > NAME_MAX:
        raise Invalid("display_name", _("A display name has at most %(max)d characters.")
                      % {"max": NAME_MAX})  # fmt: skip
    proposal = visible_proposal(proposal_id)
    take(setting="KOMIN_RATE_PROPOSAL_COMMENTS", scope="proposal-comment",
         ident=str(actor.user_id), what=_("You have posted many comments in the last hour."))  # fmt: skip
    with transaction.atomic():
        return ProposalComment.objects.create(
            proposal=proposal, author=actor.user, body=body, display_name=display_name
        )


@transaction.atomic
def comment_moderate(
    *, actor: Actor, comment_id: int, hidden: bool, reason: str
) -> ProposalComment:
    comment = (
        ProposalComment.objects.select_for_update()
        .select_related("proposal__round")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound(_("No comment %(id)s.") % {"id": comment_id})
    if not can(actor, "participation.review", comment.proposal.round):
        raise Forbidden(_("Only supervisors and administrators of the town hall moderate."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", _("Say why it is hidden or shown again."))
    comment.hidden, comment.hidden_reason = hidden, reason if hidden else ""
    comment.save(update_fields=["hidden", "hidden_reason"])
    CommentModeration.objects.create(comment=comment, actor=actor.user, hidden=hidden,
                                     reason=reason)  # fmt: skip
    return comment
