import pytest

from geoportal.limits import store

# The limits are tested against the reports and Open311 they protect.
from tests.reports.conftest import _isolated, actor_of, cat, make_report, people  # noqa: F401

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(params=["database", "redis"])
def backend(request, settings):
    """Each test that takes it runs on both stores. Redis (on 127.0.0.1:6379 here and in
    CI) gets a prefix of its own, emptied before and after."""
    if request.param == "redis":
        settings.KOMIN_REDIS_URL = REDIS_URL
        settings.KOMIN_REDIS_PREFIX = f"komin-test:{settings.DATABASES['default']['NAME']}:"
    else:
        settings.KOMIN_REDIS_URL = ""
    store.clear()
    yield request.param
    store.clear()
