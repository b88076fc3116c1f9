"""Writes of jobs: create and queue one, and the worker's side (start, progress, finish).

A job is queued after the transaction that created it commits, so a worker never looks
for a row it cannot see yet. Progress is written on a connection of its own when the
runner is inside a transaction (an import writes its rows in one), so the starter sees
it move while the work is under way."""

import logging
import shutil
from datetime import timedelta
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, connections, transaction
from django.utils import timezone

from geoportal.redact import without_paths
from jobs import conf
from jobs.models import Job
from jobs.runners import Outcome

log = logging.getLogger(__name__)
MESSAGE_CHARS = 300
ERROR_CHARS = 4000


def job_folder(job: Job) -> Path:
    return conf.jobs_dir() / str(job.pk)


def job_create(
    *,
    kind: str,
    params: dict,
    user=None,
    upload: UploadedFile | None = None,
    input_suffix: str = "",
) -> Job:
    """Records a job, keeps its upload (streamed in chunks) in the job's folder and
    queues it once the transaction commits."""
    with transaction.atomic():
        starter = user if getattr(user, "is_authenticated", False) else None
        job = Job.objects.create(kind=kind, params=params, created_by=starter)
        if upload is not None:
            name = f"input{input_suffix}"
            folder = job_folder(job)
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / name, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            job.input_file, job.input_name = name, (upload.name or "")[:200]
            job.save(update_fields=["input_file", "input_name"])
        transaction.on_commit(lambda: enqueue(job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Hands the job to the broker; if the broker is down the job stays queued and the
    periodic sweep (`jobs.sweep`) hands it over once the broker is back."""
    from jobs.tasks import run_job

    try:
        # The queue named now (settings can change), not the one routing cached at start.
        run_job.apply_async((job_id,), queue=run_job.app.conf.task_default_queue)
    except Exception as exc:  # kombu raises several types when the broker is unreachable
        log.warning("broker unreachable (%s): job %s waits for the sweep", exc, job_id)
        Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
            message="waiting for the broker"
        )
        return
    Job.objects.filter(pk=job_id, enqueued_at__isnull=True).update(enqueued_at=timezone.now())


def job_input(job: Job) -> Path | None:
    return job_folder(job) / job.input_file if job.input_file else None


def job_start(*, job_id: int) -> Job | None:
    """Marks the job running (again, if a worker died in it), or None if it is finished
    or gone (a redelivered message)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        job.status, job.started_at = Job.Status.RUNNING, timezone.now()
        job.attempts += 1
        job.message = "started"
        job.save(update_fields=["status", "started_at", "attempts", "message"])
    return job


def job_progress(*, job_id: int, percent: float, message: str = "") -> None:
    percent = max(0, min(100, int(percent)))
    message = message[:MESSAGE_CHARS]
    sql = "UPDATE jobs_job SET progress = %s, message = %s WHERE id = %s AND status = 'running'"
    if not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(sql, [percent, message, job_id])
        return
    # Inside the runner's transaction: a separate, autocommitting connection, so the
    # starter sees progress now rather than when the work commits.
    side = connections.create_connection("default")
    try:
        with side.cursor() as cursor:
            # SET LOCAL in the same simple query: one implicit transaction, no session
            # state left on a pooled server connection (PgBouncer, transaction mode).
            cursor.execute("SET LOCAL lock_timeout = '2s'; " + sql, [percent, message, job_id])
    except Exception:  # progress is informative: never fail the work for it
        log.warning("could not record progress of job %s", job_id, exc_info=True)
    finally:
        side.close()


def job_finish(*, job: Job, outcome: Outcome) -> None:
    job.status, job.progress, job.message = Job.Status.DONE, 100, "done"
    job.result = outcome.result
    if outcome.file is not None:
        job.result_file = outcome.file.name
        job.result_type = outcome.media_type
    job.finished_at = timezone.now()
    job.save()
    _drop_input(job)


def job_fail(*, job: Job, error: str, result: dict | None = None) -> None:
    job.status, job.message = Job.Status.FAILED, "failed"
    job.error = without_paths(error)[:ERROR_CHARS]
    job.result = result
    job.finished_at = timezone.now()
    job.save()
    _drop_input(job)


def job_retry_later(*, job: Job, error: str, seconds: int) -> None:
    job.status = Job.Status.QUEUED
    job.message = f"try {job.attempts} failed; trying again in {seconds} s"
    job.error = without_paths(error)[:ERROR_CHARS]
    job.save(update_fields=["status", "message", "error"])


def _drop_input(job: Job) -> None:
    path = job_input(job)
    if path is not None:
        path.unlink(missing_ok=True)


def job_delete_files(*, job: Job) -> None:
    shutil.rmtree(job_folder(job), ignore_errors=True)


def jobs_expire_files(*, now=None) -> int:
    """Deletes the folders of jobs finished more than `keep_days` ago; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=conf.keep_days())
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(result_file="", input_file="")
    count = 0
    for job in old.iterator():
        job_delete_files(job=job)
        job.result_file = job.input_file = ""
        job.save(update_fields=["result_file", "input_file"])
        count += 1
    return count
