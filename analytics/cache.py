"""Results of analyses cached by their normalised parameters: the order of the query,
unknown parameters, a date written as a date-time or categories in another order all
lead to one entry, so no one makes an analysis uncacheable by rewording it."""

import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache

PREFIX = "komin:analytics:v1:"


def ttl(*, public: bool) -> int:
    name = "KOMIN_ANALYTICS_PUBLIC_CACHE_SECONDS" if public else "KOMIN_ANALYTICS_CACHE_SECONDS"
    return int(getattr(settings, name, 300 if public else 60))


def _normal(value):
    if isinstance(value, list | tuple):
        return sorted(str(item) for item in value)
    if hasattr(value, "ewkt"):
        return value.ewkt
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def cache_key(name: str, values: dict, fmt: str) -> str:
    normal = {key: _normal(value) for key, value in values.items() if value is not None}
    text = json.dumps([name, fmt, normal], sort_keys=True, default=str)
    return PREFIX + hashlib.sha256(text.encode()).hexdigest()


def cached(key: str, seconds: int, build: Callable[[], tuple[str, bytes]]) -> tuple[str, bytes]:
    if seconds <= 0:
        return build()
    entry = cache.get(key)
    if entry is None:
        entry = build()
        cache.set(key, entry, seconds)
    return entry
