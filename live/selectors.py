"""What a stream sends: the recorded changes (ReportUpdate rows) of the reports the reader
may watch, by id. Only public, non-personal fields: the reference, what happened and the
status; the client fetches the ticket itself through the scoped reports API."""

from datetime import datetime

from django.db.models import Max, Q

from communes.access import Actor, can, scope_q
from reports.models import ReportUpdate

ACTION = "report.live"


def may_watch(actor: Actor) -> bool:
    return can(actor, ACTION)


def latest_id() -> int:
    return ReportUpdate.objects.aggregate(last=Max("pk"))["last"] or 0


def updates_after(actor: Actor, after_id: int, since: datetime, limit: int) -> list[dict]:
    """Changes after `after_id`, and also those recorded since `since` (a transaction that
    committed late can hold a smaller id than one already sent: the client drops the
    repeats by id). Oldest first, at most `limit`."""
    updates = ReportUpdate.objects.filter(Q(pk__gt=after_id) | Q(created_at__gte=since))
    scoped = scope_q(actor, ACTION, jurisdiction="report__jurisdiction", team="report__team")
    if scoped is not None:
        updates = updates.filter(scoped)
    rows = updates.order_by("pk").values(
        "pk", "kind", "created_at", "report__reference", "report__status"
    )[:limit]
    return [
        {
            "id": row["pk"],
            "kind": row["kind"],
            "reference": row["report__reference"],
            "status": row["report__status"],
            "at": row["created_at"].isoformat(),
        }
        for row in rows
    ]
