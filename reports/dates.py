"""ISO 8601 dates and date-times from users, always returned as aware date-times."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


def parse_moment(raw: str, *, end_of_day: bool = False) -> datetime:
    """A date-time, or a date taken as the start (or the end) of that day in the server's
    time zone. Raises ValueError with a message for anything else, including impossible
    dates such as 2026-13-45 or offsets such as +99:00."""
    text = raw.strip()
    try:
        # A bare date first: parse_datetime would read it as midnight.
        day = parse_date(text)
        moment = None if day else parse_datetime(text)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValueError(f"{raw!r} is not an ISO 8601 date or date-time.")
    if moment is None:
        moment = datetime.combine(day, time.min)
        if end_of_day:
            moment += timedelta(days=1) - timedelta(microseconds=1)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
