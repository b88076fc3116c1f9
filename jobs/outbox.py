"""The transactional outbox: a message is written in the transaction of the change it
tells of (so it exists if and only if the change committed), handed to the broker after
commit, and delivered by a worker. If the broker is down the message waits in the table
and the periodic sweep delivers it later.

Delivery locks the message row, sends, and marks it sent in one transaction, so two
workers never send one message twice; a message that fails is tried again with backoff."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from jobs import conf
from jobs.models import OutboxMessage
from jobs.services import without_paths

log = logging.getLogger(__name__)
Handler = Callable[[dict], None]
HANDLERS: dict[str, Handler] = {}


def outbox_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        return function

    return register


def outbox_add(*, kind: str, payload: dict, countdown: int = 0) -> OutboxMessage:
    """Call inside the transaction of the change; delivery is queued after its commit
    (`countdown` seconds after: a handler's own retry with backoff)."""
    message = OutboxMessage.objects.create(kind=kind, payload=payload)
    transaction.on_commit(lambda: hand_over(message.pk, countdown=countdown))
    return message


def hand_over(message_id: int, *, countdown: int = 0) -> None:
    from jobs.tasks import deliver

    try:
        deliver.apply_async(
            (message_id,), queue=deliver.app.conf.task_default_queue, countdown=countdown or None
        )
    except Exception as exc:  # broker down: the sweep delivers it once the broker is back
        log.warning("broker unreachable (%s): outbox message %s waits", exc, message_id)


class DeliveryFailed(Exception):
    pass


def deliver_message(*, message_id: int) -> bool:
    """Sends one pending message; True if it was sent now, False if already sent or
    being sent by another worker. Raises DeliveryFailed (recorded) if sending failed."""
    error = ""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        message.attempts += 1
        try:
            with transaction.atomic():  # a failing handler cannot break the row's update
                HANDLERS[message.kind](message.payload)
        except Exception as exc:
            error = without_paths(f"{type(exc).__name__}: {exc}")[:2000]
        else:
            message.sent_at = timezone.now()
        message.last_error = error
        # Marked in the transaction that holds the lock: no other worker sends it again.
        message.save(update_fields=["attempts", "sent_at", "last_error"])
    if error:
        raise DeliveryFailed(error)
    return True


def pending_messages(*, limit: int = 500) -> list[int]:
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lte=conf.max_retries())
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
