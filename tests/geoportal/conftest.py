# Cross-cutting tests use the reports fixtures (catalogue, people, reports) as they are.
import pytest
from django.core.cache import cache

from tests.reports.conftest import actor_of, cat, make_report, people  # noqa: F401


@pytest.fixture(autouse=True)
def _isolated(db, settings, tmp_path):
    """As the reports tests: media in a temporary folder, e-mails kept, rate counters
    cleared (they live in the database cache, hence `db` for every test here)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()
