"""Wakes the open event streams when a report changes: a PostgreSQL NOTIFY sent in the
change's own transaction, so it is delivered when the change commits and never for a
change that rolled back. It carries only the update's id; each stream reads what its
reader may see from the database."""

from django.db import connection

from reports.models import ReportUpdate
from reports.services.notify import on_update

CHANNEL = "komin_live"


@on_update
def wake_streams(update: ReportUpdate) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [CHANNEL, str(update.pk)])
