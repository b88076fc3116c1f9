import pytest
from django.core.cache import cache
from django.db import connection

from communes.access import Actor, actor_for
from reports.models import Report
from reports.services.reports import Contact, report_create
from tests.reports import factories as f


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()  # cached tiles (rate-limit counters are rows of the test transaction)
    # Counters another test committed (a transactional test; the table is not a model's,
    # so pytest-django's flush leaves it) are not this test's: it starts without them.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM komin_rate_counter")
    yield
    cache.clear()


@pytest.fixture
def cat(haiti, db):
    return f.catalogue()


@pytest.fixture
def people(cat):
    teams = cat["teams"]
    return {
        "citizen": f.user("citizen", "citizen"),
        "crew": f.user("crew", "crew", teams=[teams["roads-pap"]]),
        "other_crew": f.user("other_crew", "crew", teams=[teams["water"]]),
        "supervisor": f.user("supervisor", "supervisor"),
        "planner": f.user("planner", "planner"),
        "administrator": f.user("admin", superuser=True),
    }


@pytest.fixture
def make_report(cat):
    def make(category="pothole", where=f.PAP, contact=True, **kwargs) -> Report:
        kwargs.setdefault("answers", {"size": "large"} if category == "pothole" else {})
        return report_create(
            category=cat[category] if category in ("pothole", "water") else category,
            lon=where[0],
            lat=where[1],
            description="Gwo twou devan lekòl la",
            contact=Contact(**f.CONTACT) if contact else Contact(),
            **kwargs,
        ).report

    return make


@pytest.fixture
def actor_of():
    def make(user) -> Actor:
        return actor_for(user)

    return make
