import threading

import pytest
from django.core.cache import cache
from django.db import connections

from geoportal.limits import store

# The limits and the other cross-cutting rules are tested against the reports and
# Open311 they protect.
from tests.reports.conftest import actor_of, cat, make_report, people  # noqa: F401

REDIS_URL = "redis://127.0.0.1:6379/0"


def committed(function) -> None:
    """Runs `function` on a connection of its own, which commits at once. Emptying the
    cache or the rate store inside the test's transaction would lock the rows that earlier
    live-server tests committed, and a live server's threads writing the same keys would
    then wait for the test, which waits for them."""

    def run():
        try:
            function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


@pytest.fixture(autouse=True)
def _isolated(db, settings, tmp_path):
    """As the reports tests (media in a temporary folder, e-mails kept, cache cleared),
    with the database for every test here: the cache is a database table."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    committed(cache.clear)
    yield
    committed(cache.clear)


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    """Each test that takes it runs on both stores. Redis (on 127.0.0.1:6379 here and in
    CI) gets a prefix of its own, emptied before and after."""
    if request.param == "redis":
        settings.KOMIN_REDIS_URL = REDIS_URL
        settings.KOMIN_REDIS_PREFIX = f"komin-test:{settings.DATABASES['default']['NAME']}:"
    else:
        settings.KOMIN_REDIS_URL = ""
    committed(store.clear)
    yield request.param
    committed(store.clear)
