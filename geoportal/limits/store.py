"""The rate-limit store: Redis when KOMIN_REDIS_URL is set, else a PostgreSQL table.

Both count atomically (Redis INCR in a Lua script; PostgreSQL INSERT … ON CONFLICT DO
UPDATE … RETURNING) and keep each window until it expires: nothing else lives there, so
browsing tiles or clearing a cache cannot reset a limit. If Redis is unreachable the
database store takes over (a limit that silently stopped counting would be worse)."""

import hashlib
import logging
import random
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connection

from geoportal.sql import sql_file

log = logging.getLogger(__name__)
HIT_SQL = Path(__file__).resolve().parent / "sql" / "hit.sql"
PRUNE_EVERY = 500  # on average, one hit in this many deletes the expired windows
MAX_KEY = 200

# INCR, and start the window's clock on its first hit; returns the count and the
# milliseconds left. A key that lost its expiry (it should not) gets one again.
_REDIS_HIT = """
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
"""
_REDIS_GIVE_BACK = """
if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then
  return redis.call('DECR', KEYS[1])
end
return 0
"""


def key_for(scope: str, ident: str) -> str:
    """A bounded key; identities that could be long or personal (e-mail addresses,
    user names) are hashed by the caller or here when too long."""
    key = f"{scope}:{ident}"
    if len(key) > MAX_KEY:
        key = f"{scope}:{hashlib.sha256(ident.encode()).hexdigest()}"
    return key


class DatabaseStore:
    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(sql_file(HIT_SQL), {"key": key, "seconds": seconds})
            count, wait = cursor.fetchone()
        if random.randrange(PRUNE_EVERY) == 0:
            self.prune()
        return count, wait

    def give_back(self, key: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE komin_rate_counter SET count = count - 1 "
                "WHERE key = %s AND count > 0 AND expires_at > clock_timestamp()",
                [key],
            )

    def reset(self, key: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM komin_rate_counter WHERE key = %s", [key])

    def prune(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM komin_rate_counter WHERE expires_at <= clock_timestamp()")
            return cursor.rowcount

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM komin_rate_counter")


class RedisStore:
    def __init__(self, url: str, prefix: str):
        import redis  # only a deployment that configures Redis needs the client

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self._hit = self.client.register_script(_REDIS_HIT)
        self._give_back = self.client.register_script(_REDIS_GIVE_BACK)

    def hit(self, key: str, seconds: int) -> tuple[int, int]:
        count, ttl_ms = self._hit(keys=[self.prefix + key], args=[seconds * 1000])
        return int(count), max(1, -(-int(ttl_ms) // 1000))

    def give_back(self, key: str) -> None:
        self._give_back(keys=[self.prefix + key])

    def reset(self, key: str) -> None:
        self.client.delete(self.prefix + key)

    def prune(self) -> int:
        return 0  # Redis expires windows itself

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match=self.prefix + "*", count=1000))
        if keys:
            self.client.delete(*keys)


@lru_cache(maxsize=4)
def _redis(url: str, prefix: str) -> RedisStore:
    return RedisStore(url, prefix)


def redis_prefix() -> str:
    """Keys of one Komin database: two deployments (or test runs) may share a Redis."""
    configured = getattr(settings, "KOMIN_REDIS_PREFIX", "")
    return configured or f"komin:{connection.settings_dict['NAME']}:limit:"


def current():
    url = getattr(settings, "KOMIN_REDIS_URL", "")
    return _redis(url, redis_prefix()) if url else DatabaseStore()


def _with_fallback(operation: str, *args):
    store = current()
    if isinstance(store, RedisStore):
        import redis

        try:
            return getattr(store, operation)(*args)
        except redis.RedisError:
            log.exception("rate-limit store: Redis failed, counting in the database instead")
    return getattr(DatabaseStore(), operation)(*args)


def hit(key: str, seconds: int) -> tuple[int, int]:
    """Counts one hit; returns the count in the current window (this hit included) and
    the seconds until that window ends."""
    return _with_fallback("hit", key, seconds)


def give_back(key: str) -> None:
    """Uncounts one hit of the current window (a refused attempt, a successful log-in)."""
    _with_fallback("give_back", key)


def reset(key: str) -> None:
    _with_fallback("reset", key)


def clear() -> None:
    """Forgets every window (tests; an operator lifting all limits at once)."""
    _with_fallback("clear")
