"""The one Celery task: run a recorded job by its kind's runner."""

import logging

from celery import shared_task

from jobs import conf
from jobs.runners import RUNNERS, JobFailed, RetryLater
from jobs.services import job_fail, job_finish, job_progress, job_retry_later, job_start

log = logging.getLogger(__name__)


@shared_task(bind=True, name="jobs.run", max_retries=None)
def run_job(self, job_id: int) -> None:
    job = job_start(job_id=job_id)
    if job is None:
        return
    runner = RUNNERS.get(job.kind)
    if runner is None:
        job_fail(job=job, error=f"no runner for jobs of kind {job.kind!r}")
        return

    def progress(percent: float, message: str = "") -> None:
        job_progress(job_id=job.pk, percent=percent, message=message)

    try:
        outcome = runner(job, progress)
    except JobFailed as exc:
        job_fail(job=job, error=str(exc), result=exc.result)
    except RetryLater as exc:
        if job.attempts > conf.max_retries():
            job_fail(job=job, error=f"gave up after {job.attempts} tries: {exc}")
            return
        seconds = conf.retry_backoff(job.attempts - 1)
        job_retry_later(job=job, error=str(exc), seconds=seconds)
        raise self.retry(countdown=seconds, exc=exc) from exc
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        job_fail(
            job=job,
            error=f"internal error while running the job; see the server log (job {job.pk})",
        )
    else:
        job_finish(job=job, outcome=outcome)
