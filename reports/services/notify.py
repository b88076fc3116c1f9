"""E-mail to the followers of a report and of the areas it lies in, through the
transactional outbox: sent by a worker after the change commits (never for a change that
rolled back), retried if the mail server fails, and never failing the request."""

import logging
from collections.abc import Callable

from django.core.mail import EmailMessage, get_connection
from django.db.models import Q

from jobs.outbox import outbox_add, outbox_handler
from layers.models import AdminArea
from reports import conf
from reports.models import ReportUpdate, Subscription
from reports.services.messages import text
from reports.workflow import label

log = logging.getLogger(__name__)

NOTIFIED = {ReportUpdate.Kind.CREATED, ReportUpdate.Kind.TRANSITION, ReportUpdate.Kind.MERGE}


OUTBOX_KIND = "report-update-email"
# Other apps that act on every recorded change (SMS to followers, outgoing webhooks),
# called in the change's transaction: they write to the outbox, never send.
LISTENERS: list[Callable[[ReportUpdate], None]] = []


def on_update(listener: Callable[[ReportUpdate], None]) -> Callable[[ReportUpdate], None]:
    LISTENERS.append(listener)
    return listener


def announce(update: ReportUpdate) -> None:
    for listener in LISTENERS:
        listener(update)


def schedule(update: ReportUpdate) -> None:
    """Written to the outbox in the change's own transaction: sent by a worker after it
    commits, and still sent later if the broker is down now (never for a rollback)."""
    if update.kind in NOTIFIED and update.public:
        outbox_add(kind=OUTBOX_KIND, payload={"update_id": update.pk})


@outbox_handler(OUTBOX_KIND)
def deliver_update(payload: dict) -> None:
    send_update(payload["update_id"], raise_errors=True)


def recipients(update: ReportUpdate) -> dict[str, tuple[str | None, str]]:
    """E-mail -> (unsubscribe token or None for the reporter and the team, language)."""
    report = update.report
    areas = [pk for pk in (report.section_id, report.commune_id, report.departement_id) if pk]
    found: dict[str, tuple[str | None, str]] = {}
    if update.kind == ReportUpdate.Kind.CREATED and report.team_id and report.team.email:
        found[report.team.email.lower()] = (None, "fr")  # the team hears of its new ticket
    if update.kind != ReportUpdate.Kind.CREATED:
        if report.reporter_email:
            found[report.reporter_email.lower()] = (None, report.language)
        if report.reporter_id and report.reporter.email:
            found[report.reporter.email.lower()] = (None, report.language)
    # An area subscription follows its P-code into later boundary generations.
    pcodes = AdminArea.objects.filter(pk__in=areas).values("pcode")
    subscriptions = Subscription.objects.filter(Q(report=report) | Q(area__pcode__in=pcodes))
    for sub in subscriptions.filter(confirmed=True):
        found.setdefault(sub.email, (sub.token, sub.language))
    return found


def send_update(update_id: int, *, raise_errors: bool = False) -> int:
    update = (
        ReportUpdate.objects.select_related("report__category", "report__reporter", "report__team")
        .filter(pk=update_id)
        .first()
    )
    if update is None or update.report.hidden:
        return 0
    base = conf.get("KOMIN_PUBLIC_URL").rstrip("/")
    report = update.report
    messages = []
    for email, (token, lang) in recipients(update).items():
        category = getattr(report.category, f"name_{lang}", "") or report.category.name_fr
        status = label(report.status, lang)
        lines = [text("status", lang, ref=report.reference, category=category, status=status)]
        if update.public_note:
            lines += ["", update.public_note]
        lines += ["", text("details", lang, url=f"{base}/api/v1/reports/{report.reference}/")]
        headers = {}
        if token:
            lines += ["", text("stop", lang, url=f"{base}/unsubscribe/{token}/")]
            # RFC 8058: a mail client's "unsubscribe" button posts here, no page needed.
            headers = {
                "List-Unsubscribe": f"<{base}/api/v1/reports/subscriptions/{token}/>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        subject = f"[Komin] {report.reference}: {status}"
        messages.append(EmailMessage(subject, "\n".join(lines), to=[email], headers=headers))
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except Exception:  # a mail outage must not fail the change that was already committed
        if raise_errors:
            raise  # the outbox records it and tries again later
        log.exception("could not send %d notification(s) for update %s", len(messages), update_id)
        return 0
