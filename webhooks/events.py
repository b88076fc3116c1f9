"""Events to endpoints: each recorded change of a report (and each change of a layer's
features) becomes one delivery per endpoint of its jurisdiction that asked for the
event, written in the change's transaction and sent by a worker through the outbox, which
retries with exponential backoff. An endpoint failing KOMIN_WEBHOOK_MAX_FAILURES times in
a row is disabled and its owner told by e-mail."""

import json
import logging
import time
from datetime import timedelta

import requests
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from jobs import conf as jobs_conf
from jobs.outbox import outbox_add, outbox_handler
from layers.models import Layer
from layers.services.features import ON_CHANGE
from reports.api.output import report_public
from reports.models import ReportUpdate
from reports.services.notify import on_update
from webhooks.models import Delivery, Endpoint
from webhooks.signing import headers

log = logging.getLogger(__name__)
OUTBOX_KIND = "webhook-delivery"
DISABLED_KIND = "webhook-disabled-mail"
KINDS = {
    ReportUpdate.Kind.CREATED: "report.created",
    ReportUpdate.Kind.TRANSITION: "report.status_changed",
    ReportUpdate.Kind.ASSIGNMENT: "report.assigned",
    ReportUpdate.Kind.MERGE: "report.merged",
    ReportUpdate.Kind.MODERATION: "report.hidden",
}


# Raw: read as every report is filed, most often finding no endpoint, where the ORM's
# compiling of the filter was most of its cost (an endpoint always has a jurisdiction).
ENDPOINTS_SQL = "SELECT * FROM webhooks_endpoint WHERE active AND jurisdiction_id = %s ORDER BY id"


def max_failures() -> int:
    return int(getattr(settings, "KOMIN_WEBHOOK_MAX_FAILURES", 15))


def emit(*, event: str, jurisdiction_id: int | None, source: dict) -> int:
    """One delivery per interested endpoint; `source` says what to describe at sending
    time ({"update_id": …} or {"layer_id": …})."""
    endpoints = Endpoint.objects.raw(ENDPOINTS_SQL, [jurisdiction_id])
    count = 0
    for endpoint in endpoints:
        if endpoint.wants(event):
            delivery = Delivery.objects.create(endpoint=endpoint, event=event, payload=source)
            outbox_add(kind=OUTBOX_KIND, payload={"delivery_id": delivery.pk})
            count += 1
    return count


@on_update
def report_changed(update: ReportUpdate) -> None:
    event = KINDS.get(update.kind)
    if event == "report.status_changed" and update.from_status == update.to_status:
        return
    if event:
        emit(event=event, jurisdiction_id=update.report.jurisdiction_id,
             source={"update_id": update.pk})  # fmt: skip


def layer_changed(layer_id: int) -> None:
    layer = Layer.objects.filter(pk=layer_id).values("slug", "version", "jurisdiction_id").first()
    if layer:
        emit(event="layer.features_changed", jurisdiction_id=layer["jurisdiction_id"],
             source={"layer": layer["slug"], "version": layer["version"]})  # fmt: skip


ON_CHANGE.append(layer_changed)


def describe(delivery: Delivery) -> dict:
    """The body, built once at the first try (after the change committed) and kept, so
    that every retry sends the same bytes under the same webhook-id."""
    source = delivery.payload
    data: dict = {}
    if "update_id" in source:
        update = ReportUpdate.objects.select_related(
            "report__category", "report__section", "report__commune", "report__departement"
        ).get(pk=source["update_id"])
        report = update.report
        private = delivery.endpoint.internal
        if report.hidden and not private:
            data = {"reference": report.reference, "hidden": True}
        else:
            data = report_public(report)
            data["hidden"] = report.hidden
        data["change"] = {"kind": update.kind, "from_status": update.from_status,
                          "to_status": update.to_status, "public_note": update.public_note}  # fmt: skip
        if private:
            data["contact"] = {"name": report.reporter_name, "email": report.reporter_email,
                               "phone": report.reporter_phone}  # fmt: skip
            data["change"]["internal_note"] = update.internal_note
    else:
        data = dict(source)
    return {"type": delivery.event, "timestamp": timezone.now().isoformat(), "data": data}


@outbox_handler(OUTBOX_KIND)
def deliver(payload: dict) -> None:
    send_delivery(payload["delivery_id"])


class NotYet(Exception):
    """Picked up (by the sweep) before its backoff ran out: the outbox tries later."""


def send_delivery(delivery_id: int) -> int | None:
    """Sends one delivery and records the response code. A failure is recorded (not
    raised: that would roll the record back) and the next try queued after an
    exponential backoff, until the endpoint is disabled."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update().select_related("endpoint")
            .filter(pk=delivery_id, delivered_at__isnull=True).first()
        )  # fmt: skip
        if delivery is None or not delivery.endpoint.active:
            return None
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            raise NotYet(f"delivery {delivery.pk} waits until {delivery.next_attempt_at}")
        if "type" not in delivery.payload:
            delivery.payload = describe(delivery)
        code = _post(delivery)
        delivery.attempts += 1
        delivery.response_codes = [*delivery.response_codes, code][-20:]
        endpoint = delivery.endpoint
        if code is not None and 200 <= code < 300:
            delivery.delivered_at = timezone.now()
            endpoint.failures = 0
        else:
            endpoint.failures += 1
            if endpoint.failures >= max_failures():
                _disable(endpoint, code)
            elif delivery.attempts <= jobs_conf.max_retries():
                wait = jobs_conf.retry_backoff(delivery.attempts - 1)
                delivery.next_attempt_at = timezone.now() + timedelta(seconds=wait)
                outbox_add(kind=OUTBOX_KIND, payload={"delivery_id": delivery.pk}, countdown=wait)
        delivery.save()
        endpoint.save(update_fields=["failures", "active", "disabled_reason"])
    return code


def _post(delivery: Delivery) -> int | None:
    body = json.dumps(delivery.payload, separators=(",", ":")).encode()
    signed = headers(secret=delivery.endpoint.secret, message_id=delivery.message_id,
                     timestamp=int(time.time()), body=body)  # fmt: skip
    try:
        response = requests.post(delivery.endpoint.url, data=body, headers=signed,
                                 timeout=(5, 15), allow_redirects=False)  # fmt: skip
    except requests.RequestException as exc:
        log.warning("webhook %s: %s", delivery.pk, type(exc).__name__)
        return None
    return response.status_code


def _disable(endpoint: Endpoint, code: int | None) -> None:
    endpoint.active = False
    endpoint.disabled_reason = f"disabled after {endpoint.failures} failed deliveries in a row (last: {code or 'no answer'})"
    outbox_add(kind=DISABLED_KIND, payload={"endpoint_id": endpoint.pk})


@outbox_handler(DISABLED_KIND)
def tell_owner(payload: dict) -> None:
    endpoint = Endpoint.objects.select_related("owner").filter(pk=payload["endpoint_id"]).first()
    if endpoint is None or endpoint.owner is None or not endpoint.owner.email:
        return
    send_mail(
        "[Komin] Webhook endpoint disabled",
        f"{endpoint.url}: {endpoint.disabled_reason}. Fix it, then enable it again in the "
        "administration (Endpoints).",
        None,
        [endpoint.owner.email],
    )
