"""The rate-limit store, on both backends: atomic counting, windows that expire, and
nothing else that can evict a counter."""

import threading

import pytest
from django.core.cache import cache
from django.db import connections
from django.test import Client

from geoportal.limits import store
from geoportal.models import RateCounter
from tests.reports import factories as f

REPORTS = "/api/v1/reports/"
BODY = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}


def expire_now(backend: str, key: str) -> None:
    if backend == "redis":
        current = store.current()
        current.client.pexpire(current.prefix + key, 1)
        while current.client.exists(current.prefix + key):
            pass
    else:
        RateCounter.objects.filter(key=key).update(expires_at="2000-01-01T00:00:00Z")


@pytest.mark.django_db
def test_hits_are_counted_in_a_window_that_then_starts_again(backend):
    assert [store.hit("t:a", 60)[0] for _ in range(3)] == [1, 2, 3]
    assert store.hit("t:b", 60)[0] == 1  # keys are apart
    count, wait = store.hit("t:a", 60)
    assert count == 4 and 1 <= wait <= 60
    expire_now(backend, "t:a")
    assert store.hit("t:a", 60)[0] == 1


@pytest.mark.django_db
def test_give_back_and_reset(backend):
    for _ in range(3):
        store.hit("t:g", 60)
    store.give_back("t:g")
    assert store.hit("t:g", 60)[0] == 3
    store.reset("t:g")
    assert store.hit("t:g", 60)[0] == 1
    store.give_back("t:g")
    store.give_back("t:g")  # never below zero
    assert store.hit("t:g", 60)[0] == 1


@pytest.mark.django_db
def test_expired_windows_are_pruned_and_live_ones_kept(settings):
    settings.KOMIN_REDIS_URL = ""
    # Counters that live-server tests committed earlier in the run are not this test's.
    RateCounter.objects.all().delete()
    store.hit("t:old", 60)
    store.hit("t:live", 60)
    RateCounter.objects.filter(key="t:old").update(expires_at="2000-01-01T00:00:00Z")
    assert store.DatabaseStore().prune() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["t:live"]


@pytest.mark.django_db
def test_an_unreachable_redis_falls_back_to_the_database(settings):
    settings.KOMIN_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    assert [store.hit("t:f", 60)[0] for _ in range(2)] == [1, 2]
    assert RateCounter.objects.get(key="t:f").count == 2


def in_own_connection(function):
    """Runs `function` in a thread, hence on a connection of its own that commits (the
    test's connection stays in its rolled-back transaction)."""
    result = []

    def run():
        try:
            result.append(function())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0] if result else None


@pytest.mark.django_db
def test_concurrent_hits_from_separate_connections_are_all_counted(backend):
    threads, hits = 16, 20
    key = f"t:race:{backend}"
    counts: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def client():
        start.wait()
        try:
            mine = [store.hit(key, 600)[0] for _ in range(hits)]
            with lock:
                counts.extend(mine)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    try:
        # Each hit saw a distinct count: none was lost or counted twice.
        assert sorted(counts) == list(range(1, threads * hits + 1))
        assert in_own_connection(lambda: store.hit(key, 600)[0]) == threads * hits + 1
    finally:
        in_own_connection(lambda: store.reset(key))


@pytest.mark.django_db
def test_filling_and_clearing_the_tile_cache_does_not_reset_a_limit(api, cat, settings, backend):
    settings.KOMIN_RATE_ANON_REPORTS = "2/hour"
    assert [api.post(REPORTS, BODY, format="json").status_code for _ in range(2)] == [201, 201]
    # What browsing hundreds of tiles does to the shared cache (and its culling).
    for i in range(400):
        cache.set(f"tile:areas-commune:12/{i}/0:v1", b"x" * 10, 3600)
    cache.clear()
    assert api.post(REPORTS, BODY, format="json").status_code == 429


@pytest.mark.django_db
def test_concurrent_requests_are_all_counted(settings, backend):
    """16 clients at once, each request in its own thread and connection, as gunicorn
    threads would run them: exactly the limit gets through."""
    settings.KOMIN_RATE_ANON_READS = "40/hour"
    threads, each = 16, 5
    codes: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(threads)

    def client():
        browser = Client()
        start.wait()
        try:
            mine = [browser.get("/api/v1/reports/workflow/").status_code for _ in range(each)]
            with lock:
                codes.extend(mine)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    try:
        assert sorted(codes) == [200] * 40 + [429] * 40
    finally:
        in_own_connection(lambda: store.reset("anon-reads:127.0.0.1"))
