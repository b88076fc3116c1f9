"""The job record and its API, with jobs run inline (eager mode)."""

import pytest

from geoportal.redact import without_paths
from jobs import runners
from jobs.job_runners import SELFTEST
from jobs.models import Job
from jobs.runners import Outcome, RetryLater
from jobs.services import job_create

pytestmark = pytest.mark.django_db
JOBS = "/api/v1/jobs/"


def test_a_job_runs_to_done_with_its_result_and_timestamps(staff, jobs_dir, committed):
    with committed():
        job = job_create(kind=SELFTEST, params={"steps": 3, "pause": 0}, user=staff)
    job.refresh_from_db()
    assert (job.status, job.progress, job.result) == ("done", 100, {"steps": 3})
    assert job.attempts == 1 and job.started_at <= job.finished_at


def test_the_starter_polls_its_job_and_other_staff_cannot_see_it(
    api, staff, other_planner, administrator, jobs_dir, committed
):
    with committed():
        job = job_create(kind=SELFTEST, params={"steps": 1, "pause": 0}, user=staff)
    body = api.get(f"{JOBS}{job.pk}/").json()
    assert body["status"] == "done" and body["progress"] == 100 and body["created_by"] == "planner"
    assert body["links"]["self"].endswith(f"/api/v1/jobs/{job.pk}/")
    api.force_authenticate(other_planner)
    assert api.get(f"{JOBS}{job.pk}/").status_code == 404
    assert api.get(JOBS).json()["jobs"] == []
    api.force_authenticate(administrator)
    assert [j["id"] for j in api.get(JOBS).json()["jobs"]] == [job.pk]
    api.force_authenticate(None)
    assert api.get(f"{JOBS}{job.pk}/").status_code in (401, 403)


def test_a_failed_job_is_listed_for_administrators_with_its_error(
    api, staff, administrator, jobs_dir, committed
):
    with committed():
        job_create(kind=SELFTEST, params={"steps": 1, "pause": 0, "fail": "no water"}, user=staff)
        job_create(kind=SELFTEST, params={"steps": 1, "pause": 0}, user=staff)
    api.force_authenticate(administrator)
    failed = api.get(JOBS, {"status": "failed"}).json()["jobs"]
    assert len(failed) == 1 and failed[0]["error"] == "no water"
    assert api.get(JOBS, {"status": "lost"}).status_code == 400


def test_an_unexpected_error_fails_the_job_without_details(staff, jobs_dir, monkeypatch, committed):
    def broken(job, progress):
        open("/nonexistent/secret/place.txt")

    monkeypatch.setitem(runners.RUNNERS, "test-broken", broken)
    with committed():
        job = job_create(kind="test-broken", params={}, user=staff)
    job.refresh_from_db()
    assert job.status == "failed" and "internal error" in job.error
    assert "/nonexistent" not in job.error and "secret" not in job.error


def test_work_failing_on_an_outside_party_is_retried_then_done(
    staff, jobs_dir, monkeypatch, committed
):
    calls = []

    def flaky(job, progress):
        calls.append(job.attempts)
        if len(calls) < 3:
            raise RetryLater("mail server said 421")
        return Outcome(result={"sent": 1})

    monkeypatch.setitem(runners.RUNNERS, "test-flaky", flaky)
    with committed():
        job = job_create(kind="test-flaky", params={}, user=staff)
    job.refresh_from_db()
    assert calls == [1, 2, 3]
    assert (job.status, job.attempts, job.result) == ("done", 3, {"sent": 1})


def test_retries_stop_after_the_limit_and_the_job_fails(
    settings, staff, jobs_dir, monkeypatch, committed
):
    settings.KOMIN_JOBS_MAX_RETRIES = 2

    def down(job, progress):
        raise RetryLater("connection refused")

    monkeypatch.setitem(runners.RUNNERS, "test-down", down)
    with committed():
        job = job_create(kind="test-down", params={}, user=staff)
    job.refresh_from_db()
    assert job.status == "failed" and job.attempts == 3
    assert job.error == "gave up after 3 tries: connection refused"


def test_backoff_doubles_and_is_capped():
    from jobs.conf import retry_backoff

    assert [retry_backoff(n) for n in range(8)] == [10, 20, 40, 80, 160, 320, 600, 600]


def test_error_texts_lose_server_paths():
    text = "/tmp/komin-import-abc/unzipped/source.geojson: not recognized; see /srv/x/y.log"
    assert without_paths(text) == "source.geojson: not recognized; see y.log"


def test_a_result_is_not_downloadable_before_the_job_is_done(api, staff, jobs_dir):
    job = Job.objects.create(kind=SELFTEST, created_by=staff)  # queued, never sent
    response = api.get(f"{JOBS}{job.pk}/result/")
    assert response.status_code == 409 and response.json()["error"] == "not_ready"


def test_files_of_old_jobs_are_deleted_but_the_records_stay(staff, jobs_dir, committed):
    from datetime import timedelta

    from django.utils import timezone

    from jobs.services import job_folder, jobs_expire_files

    with committed():
        job = job_create(kind=SELFTEST, params={"steps": 1, "pause": 0}, user=staff)
    folder = job_folder(job)
    folder.mkdir(parents=True)
    (folder / "result.csv").write_text("a,b\n")
    Job.objects.filter(pk=job.pk).update(result_file="result.csv")
    assert jobs_expire_files(now=timezone.now() + timedelta(days=6)) == 0
    assert jobs_expire_files(now=timezone.now() + timedelta(days=8)) == 1
    job.refresh_from_db()
    assert not folder.exists() and job.result_file == "" and job.status == "done"
