"""Django's cache on Redis when KOMIN_REDIS_URL is set, the database table as fallback.

Tiles are the bulk of the cache: they are stored as their own bytes (one marker byte in
front), never pickled, so a hit costs one GET and a copy. Other values are pickled as
Django's Redis cache does; integers stay plain for INCR. Eviction is Redis's: the
operator sets `maxmemory` and `maxmemory-policy allkeys-lru` (README, "Scaling out"), so
the least recently used tiles leave first, whatever their layer.

When Redis fails (down, timeout) the same call is answered by the `database` cache and
Redis is left alone for KOMIN_REDIS_RETRY_SECONDS: a dead Redis costs one connection
timeout per process and per interval, not one per request."""

import logging

# Unpickled: only values Komin itself wrote to its own cache (Django's Redis cache does
# the same for every value).
import pickle  # nosec B403
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

log = logging.getLogger(__name__)
RAW = b"\x00"  # bytes stored as they are: pickle streams start with b"\x80", ints with a digit


class BytesSerializer:
    def __init__(self, protocol=None):
        self.protocol = pickle.HIGHEST_PROTOCOL if protocol is None else protocol

    def dumps(self, obj):
        if type(obj) is int:
            return obj
        if type(obj) is bytes:
            return RAW + obj
        return pickle.dumps(obj, self.protocol)

    def loads(self, data):
        if data[:1] == RAW:
            return bytes(data[1:])
        try:
            return int(data)
        except ValueError:
            # Komin's own values (see the import).
            return pickle.loads(data)  # nosec B301


class BytesRedisClient(RedisCacheClient):
    def __init__(self, servers, serializer=None, **options):
        options.setdefault("socket_timeout", 1)
        options.setdefault("socket_connect_timeout", 1)
        super().__init__(servers, serializer=BytesSerializer, **options)


def _guarded(name):
    def method(self, *args, **kwargs):
        if time.monotonic() >= self._down_until:
            import redis

            try:
                return getattr(super(RedisWithFallback, self), name)(*args, **kwargs)
            except (redis.RedisError, OSError):
                retry = float(getattr(settings, "KOMIN_REDIS_RETRY_SECONDS", 5))
                self._down_until = time.monotonic() + retry
                log.warning("cache: Redis failed, the database cache answers for %ss", retry)
        return getattr(caches[self._fallback], name)(*args, **kwargs)

    method.__name__ = name
    return method


class RedisWithFallback(RedisCache):
    """OPTIONS: FALLBACK (a cache alias, default "database"), then redis-py's options."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self._fallback = options.pop("FALLBACK", "database")
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = BytesRedisClient
        self._down_until = 0.0

    def redis_up(self) -> bool:
        return time.monotonic() >= self._down_until

    for _name in (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
    ):
        locals()[_name] = _guarded(_name)
    del _name

    def clear(self):
        """This deployment's keys only (Django's would FLUSHDB a Redis that the broker,
        the rate limits and other deployments may share)."""
        if self.redis_up():
            import redis

            try:
                client = self._cache.get_client(write=True)
                keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
                for start in range(0, len(keys), 1000):
                    client.delete(*keys[start : start + 1000])
                return True
            except (redis.RedisError, OSError):
                self._down_until = time.monotonic() + 5
        return caches[self._fallback].clear()
