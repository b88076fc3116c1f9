"""Jobs run inline (Celery eager mode, no broker configured) unless a test starts a real
worker (test_worker.py). Uploads go to job folders under a temporary KOMIN_JOBS_DIR."""

import pytest

from communes.models import Membership
from tests.analytics.conftest import category, grid, raster_dir, staff  # noqa: F401


@pytest.fixture
def jobs_dir(settings, tmp_path):
    settings.KOMIN_JOBS_DIR = tmp_path / "jobs"
    return settings.KOMIN_JOBS_DIR


@pytest.fixture
def every_upload_is_a_job(settings, jobs_dir):
    settings.KOMIN_INLINE_UPLOAD_MAX_BYTES = 0
    return jobs_dir


@pytest.fixture
def administrator(db, django_user_model):
    user = django_user_model.objects.create_user("boss", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="administrator")
    return user


@pytest.fixture
def other_planner(db, django_user_model):
    user = django_user_model.objects.create_user("other", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="planner")
    return user


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the code inside queued for after its commit (a test's
    transaction never commits), so the eager job runs as it would in production."""

    def context():
        return django_capture_on_commit_callbacks(execute=True)

    return context
