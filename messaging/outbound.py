"""Messages out: written in the transaction that decided them, sent by a worker through
the transactional outbox (jobs.outbox) and the gateway's API, retried by the outbox when
the provider is down. Nothing goes to a number that opted out, and no gateway sends more
than its daily cap."""

from django.db import transaction
from django.utils import timezone

from jobs.outbox import outbox_add, outbox_handler
from messaging.gateways import SendFailed, module
from messaging.models import Gateway, OptOut, OutboundMessage

OUTBOX_KIND = "sms-send"


REDACTED = "[one-time code removed once sent]"


def queue_sms(
    *, gateway: Gateway, phone: str, channel: str, text: str, language: str, secret: bool = False
) -> None:
    """`secret`: the text holds a one-time code, blanked when the message is finished."""
    message = OutboundMessage.objects.create(
        gateway=gateway, phone=phone, channel=channel, text=text[:1600], language=language,
        secret=secret,
    )  # fmt: skip
    outbox_add(kind=OUTBOX_KIND, payload={"message_id": message.pk})


def sent_today(gateway: Gateway) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return OutboundMessage.objects.filter(
        gateway=gateway, state=OutboundMessage.State.SENT, sent_at__gte=start
    ).count()


@outbox_handler(OUTBOX_KIND)
def deliver(payload: dict) -> None:
    send_message(payload["message_id"])


def send_message(message_id: int) -> str:
    """Sends one message; its new state. A provider outage raises (the outbox retries);
    a provider's refusal of this message is recorded and not retried."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .select_related("gateway")
            .filter(pk=message_id, state=OutboundMessage.State.PENDING)
            .first()
        )
        if message is None:
            return "gone"
        gateway = message.gateway
        if OptOut.objects.filter(phone=message.phone).exists():
            return _finish(message, OutboundMessage.State.SKIPPED, error="opted out")
        if not gateway.active or sent_today(gateway) >= gateway.daily_cap:
            return _finish(message, OutboundMessage.State.SKIPPED, error="daily cap reached")
        try:
            provider_id = module(gateway.kind).send(
                gateway, phone=message.phone, channel=message.channel, text=message.text
            )
        except SendFailed as exc:
            if not exc.permanent:
                raise
            return _finish(message, OutboundMessage.State.FAILED, error=str(exc), code=exc.status)
        message.provider_id = provider_id
        message.sent_at = timezone.now()
        return _finish(message, OutboundMessage.State.SENT, code=200)


def _finish(message: OutboundMessage, state: str, *, error: str = "", code=None) -> str:
    message.state = state
    message.error = error[:500]
    message.response_code = code
    fields = ["state", "error", "response_code", "provider_id", "sent_at"]
    if message.secret:
        message.text = REDACTED
        fields.append("text")
    message.save(update_fields=fields)
    return state
