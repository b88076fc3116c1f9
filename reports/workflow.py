"""Report states as data: one place that the API, Open311, the frontend and the
analytics all read. Transitions per role are added by the reports services."""

from django.db import models


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    REOPENED = "reopened", "Reopened"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    DUPLICATE = "duplicate", "Duplicate"
    NOT_RESPONSIBLE = "not_responsible", "Not our responsibility"


OPEN = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED})
CLOSED = frozenset({Status.RESOLVED, Status.CLOSED, Status.DUPLICATE, Status.NOT_RESPONSIBLE})
# A report counts as fixed (for time-to-fix and SLA figures) in these states.
FIXED = frozenset({Status.RESOLVED, Status.CLOSED})


def group(status: str) -> str:
    return "open" if status in OPEN else "closed"
