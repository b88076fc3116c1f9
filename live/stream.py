"""The body of an event stream: a generator that gunicorn writes out chunk by chunk.

It LISTENs on a dedicated database connection (autocommit, outside Django's), first sends
what the reader missed since `Last-Event-ID` (the catch-up), then waits for NOTIFYs and
sends each new change the reader may see. A comment line goes out every heartbeat, so a
client that went away is noticed (the write fails and the generator is closed), and the
stream ends after a maximum lifetime: the browser reconnects with `Last-Event-ID`."""

import json
import select
import time
from collections.abc import Iterator
from datetime import timedelta

from django.conf import settings
from django.db import connections
from django.utils import timezone

from communes.access import Actor
from live import limits
from live.selectors import latest_id, updates_after
from live.signal import CHANNEL

# More missed changes than this and the client is told to reload its list instead.
CATCH_UP_MAX = 500
# A change recorded this long ago but committed only now is still sent (see selectors).
LATE_COMMIT = timedelta(seconds=60)
RETRY_MS = 3000


def message(event: str, data: dict, event_id: int | None = None) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


def open_listener():
    """A raw psycopg connection of its own: LISTEN must not share Django's, which the
    stream also uses for its queries and which Django may close or recycle."""
    wrapper = connections["default"]
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute(f"LISTEN {CHANNEL}")
    return raw


def wait_for_notify(raw, seconds: float) -> bool:
    """True when at least one NOTIFY arrived within `seconds`."""
    if raw.notifies:
        raw.notifies.clear()
        return True
    ready, _, _ = select.select([raw], [], [], max(seconds, 0))
    if not ready:
        return False
    raw.poll()
    woke = bool(raw.notifies)
    raw.notifies.clear()
    return woke


class Stream:
    """The stream for one reader, who has taken a slot in `limits`: the slot is given back
    when the response is closed (by the server, whether or not the body was ever read)."""

    def __init__(self, actor: Actor, last_id: int | None):
        self.actor, self.last_id = actor, last_id
        self.released = False
        self.body = self._body()

    def __iter__(self) -> Iterator[str]:
        return self.body

    def _body(self) -> Iterator[str]:
        raw = open_listener()  # before the catch-up: nothing committed between is missed
        try:
            yield from _run(self.actor, self.last_id, raw)
        finally:
            raw.close()

    def close(self) -> None:
        self.body.close()
        if not self.released:
            self.released = True
            limits.release(self.actor.user_id)


def _run(actor: Actor, last_id: int | None, raw) -> Iterator[str]:
    deadline = time.monotonic() + settings.KOMIN_EVENTS_MAX_SECONDS
    yield f"retry: {RETRY_MS}\n\n"
    sent: dict[int, float] = {}  # ids sent recently -> when, to skip late-commit repeats
    if last_id is None:  # a fresh start: the client has just loaded its list
        last_id = latest_id()
        since = timezone.now() - LATE_COMMIT
        recent = updates_after(actor, last_id, since, CATCH_UP_MAX)
        sent = {event["id"]: time.monotonic() for event in recent if event["id"] <= last_id}
        yield message("ready", {"last_id": last_id}, last_id)
    check = True  # the catch-up
    while True:
        if check:
            since = timezone.now() - LATE_COMMIT
            found = updates_after(actor, last_id, since, CATCH_UP_MAX + 1)
            if len(found) > CATCH_UP_MAX:
                last_id = latest_id()
                yield message("reset", {"last_id": last_id}, last_id)
                found = []
            now = time.monotonic()
            for event in found:
                if event["id"] in sent:
                    continue
                sent[event["id"]] = now
                last_id = max(last_id, event["id"])
                yield message("report", event, last_id)
            horizon = now - LATE_COMMIT.total_seconds()
            sent = {pk: at for pk, at in sent.items() if at >= horizon}
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            yield message("bye", {"reconnect": True}, last_id)
            return
        check = wait_for_notify(raw, min(settings.KOMIN_EVENTS_HEARTBEAT_SECONDS, remaining))
        if not check:
            yield ": heartbeat\n\n"
