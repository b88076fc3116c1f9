"""How many streams may be open at once, per worker process and per person in it. Each
open stream holds one gunicorn thread (and two database connections) for its lifetime:
without a cap, a few dozen open tabs would leave no thread for ordinary requests."""

import threading
from collections import Counter

from django.conf import settings

_lock = threading.Lock()
_open: Counter = Counter()  # user id -> open streams in this process


class Full(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def open_streams() -> int:
    return sum(_open.values())


def take(user_id: int) -> None:
    with _lock:
        if open_streams() >= settings.KOMIN_EVENTS_MAX_STREAMS:
            raise Full("This server has as many live streams open as it allows.")
        if _open[user_id] >= settings.KOMIN_EVENTS_MAX_PER_USER:
            raise Full("You have as many live streams open as allowed: close a tab.")
        _open[user_id] += 1


def release(user_id: int) -> None:
    with _lock:
        _open[user_id] -= 1
        if _open[user_id] <= 0:
            del _open[user_id]
