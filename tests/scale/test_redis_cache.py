"""The Redis cache: tiles stored as their bytes, the database table answering while Redis
is down, and clear() touching only this deployment's keys."""

import pytest
import redis
from django.core.cache import caches

from geoportal.cache import RAW
from tests.layers.test_layer_tiles import get_tile, tile_xy

pytestmark = pytest.mark.django_db
REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_cache(settings):
    prefix = f"komin-test:{settings.DATABASES['default']['NAME']}:cache"
    settings.CACHES = {
        "default": {
            "BACKEND": "geoportal.cache.RedisWithFallback",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"FALLBACK": "database"},
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "komin_cache",
        },
    }
    client = redis.Redis.from_url(REDIS_URL)
    caches["default"].clear()
    yield caches["default"], client, prefix
    caches["default"].clear()


def test_bytes_are_stored_raw_and_other_values_round_trip(redis_cache):
    cache, client, prefix = redis_cache
    cache.set("tile", b"\x1a\x02mvt", 60)
    assert client.get(f"{prefix}:1:tile") == RAW + b"\x1a\x02mvt"
    assert cache.get("tile") == b"\x1a\x02mvt"
    cache.set("n", 41)
    assert cache.incr("n") == 42
    cache.set("entry", ("text/csv", b"a,b\n"))
    assert cache.get("entry") == ("text/csv", b"a,b\n")
    assert 0 < client.ttl(f"{prefix}:1:tile") <= 60


def test_a_tile_is_cached_in_redis_as_its_bytes(haiti, api, redis_cache, settings):
    settings.KOMIN_TILE_CACHE_SECONDS = 600
    _, client, prefix = redis_cache
    z, (x, y) = 14, tile_xy(-72.34, 18.54, 14)
    body = get_tile(api, "schools", z, x, y).content
    keys = [k for k in client.scan_iter(match=f"{prefix}:*tile:schools:*:{z}:{x}:{y}")]
    assert len(keys) == 1
    assert client.get(keys[0]) == RAW + body
    assert get_tile(api, "schools", z, x, y).content == body


def test_clear_leaves_other_keys_of_a_shared_redis(redis_cache):
    cache, client, _ = redis_cache
    client.set("komin-test:someone-else", b"kept", ex=60)
    cache.set("mine", b"x")
    cache.clear()
    assert cache.get("mine") is None
    assert client.get("komin-test:someone-else") == b"kept"
    client.delete("komin-test:someone-else")


def test_redis_down_the_database_cache_answers_then_redis_again(settings):
    settings.KOMIN_REDIS_RETRY_SECONDS = 30
    settings.CACHES = {
        "default": {
            "BACKEND": "geoportal.cache.RedisWithFallback",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "KEY_PREFIX": "komin-test-down",
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "komin_cache",
        },
    }
    cache = caches["default"]
    cache.set("k", b"v", 60)
    assert not cache.redis_up()
    assert caches["database"].get("k") == b"v"
    assert cache.get("k") == b"v"  # answered by the table, Redis not retried yet
    cache._down_until = 0.0
    assert cache.redis_up()
    assert cache.get("k") == b"v"  # Redis tried again, still down: the table answers
    assert not cache.redis_up()
