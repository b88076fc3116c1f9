"""Celery tasks: run a recorded job by its kind's runner; deliver outbox messages."""

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from geoportal import idempotency
from jobs import conf
from jobs.models import Job, OutboxMessage
from jobs.outbox import DeliveryFailed, deliver_message, pending_messages
from jobs.runners import RUNNERS, JobFailed, RetryLater
from jobs.services import (
    enqueue,
    job_fail,
    job_finish,
    job_progress,
    job_retry_later,
    job_start,
    jobs_expire_files,
)

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


@shared_task(bind=True, name="jobs.deliver", max_retries=None)
def deliver(self, message_id: int) -> None:
    """Delivers one outbox message; on failure tries again with backoff."""
    try:
        deliver_message(message_id=message_id)
    except DeliveryFailed as exc:
        attempts = OutboxMessage.objects.filter(pk=message_id).values_list("attempts", flat=True)
        tries = attempts.first() or 1
        if tries > conf.max_retries():
            log.error("outbox message %s given up after %s tries: %s", message_id, tries, exc)
            return
        raise self.retry(countdown=conf.retry_backoff(tries - 1), exc=exc) from exc


@shared_task(name="jobs.sweep")
def sweep() -> dict:
    """Run periodically (Celery beat): delivers outbox messages left pending, hands over
    jobs that were queued while the broker was down, deletes old jobs' files."""
    delivered = 0
    for message_id in pending_messages():
        try:
            delivered += deliver_message(message_id=message_id)
        except DeliveryFailed:
            continue  # recorded on the message; the next sweep tries again
    stale = timezone.now() - timedelta(seconds=30)
    waiting = Job.objects.filter(
        status=Job.Status.QUEUED, enqueued_at__isnull=True, created_at__lt=stale
    ).values_list("pk", flat=True)
    for job_id in list(waiting[:500]):
        enqueue(job_id)
    jobs_expire_files()
    idempotency.prune()
    return {"delivered": delivered}
