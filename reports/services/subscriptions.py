"""Following a report or an area by e-mail, with double opt-in: nothing is sent to an
address (beyond the one confirmation message) until its owner confirms, so that nobody
can subscribe someone else to a flood of notifications. Confirmation e-mails themselves
are limited per recipient address and per client, so that nobody can flood an inbox with
them either (a new report or area each time)."""

import hashlib
import logging
import secrets

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from geoportal.limits.limiter import take
from layers.models import AdminArea
from reports import conf
from reports.errors import Invalid, NotFound
from reports.models import Report, Subscription
from reports.services.messages import text

log = logging.getLogger(__name__)


def subscribe(
    *,
    email: str,
    report: Report | None = None,
    area: AdminArea | None = None,
    user=None,
    language: str = "fr",
    client: str = "",
) -> tuple[Subscription, bool]:
    """Returns the subscription and whether it is new. An account subscribing its own
    verified address is confirmed at once; anyone else gets a confirmation e-mail, if the
    limits of confirmations to that address and from that client (`client_identity`)
    allow it: else Limited (429) and nothing is recorded."""
    if (report is None) == (area is None):
        raise Invalid("subscription", "Follow either a report or an area.")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise Invalid("email", f"{email!r} is not an e-mail address.") from None
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(
            email=email,
            report=report,
            area=area,
            defaults={"token": secrets.token_urlsafe(32), "language": language},
        )
        own = getattr(user, "is_authenticated", False) and (user.email or "").lower() == email
        if own and not subscription.confirmed:
            subscription.confirmed = True
            subscription.save(update_fields=["confirmed"])
        elif created and not subscription.confirmed:
            _count_confirmation(email=email, client=client)
            transaction.on_commit(lambda: send_confirmation(subscription.pk))
    return subscription, created


def _count_confirmation(*, email: str, client: str) -> None:
    recipient = hashlib.sha256(email.encode()).hexdigest()[:32]  # no address in the store
    take(
        setting="KOMIN_RATE_EMAIL_RECIPIENT",
        scope="email-recipient",
        ident=recipient,
        what=_("Too many confirmation e-mails were sent to this address."),
    )
    if client:
        take(
            setting="KOMIN_RATE_EMAIL_CLIENT",
            scope="email-client",
            ident=client,
            what=_("Too many e-mails requested."),
        )


def send_confirmation(subscription_id: int) -> None:
    subscription = Subscription.objects.select_related("report", "area").get(pk=subscription_id)
    lang = subscription.language
    base = conf.get("KOMIN_PUBLIC_URL").rstrip("/")
    if subscription.report_id:
        what = text("report", lang, ref=subscription.report.reference)
    else:
        what = text("area", lang, name=subscription.area.name(lang))
    url = f"{base}/api/v1/reports/subscriptions/{subscription.token}/confirm/"
    try:
        send_mail(
            text("confirm_subject", lang, what=what),
            text("confirm_body", lang, what=what, url=url),
            None,
            [subscription.email],
        )
    except Exception:  # a mail outage must not fail the request that was already committed
        log.exception("could not send the confirmation of subscription %s", subscription_id)


def confirm(*, token: str) -> Subscription:
    subscription = Subscription.objects.filter(token=token).first()
    if subscription is None:
        raise NotFound("No subscription has this token.")
    if not subscription.confirmed:
        subscription.confirmed = True
        subscription.save(update_fields=["confirmed"])
    return subscription


def unsubscribe(*, token: str) -> None:
    deleted, _ = Subscription.objects.filter(token=token).delete()
    if not deleted:
        raise NotFound("No subscription has this token.")
