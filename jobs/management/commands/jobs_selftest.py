"""Queues a self-test job and follows it: shows that the broker and a worker run jobs."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jobs.job_runners import SELFTEST
from jobs.services import job_create


class Command(BaseCommand):
    help = "Queue a self-test job and wait for a worker to run it (or run it inline)."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait")

    def handle(self, *args, **opts):
        broker = settings.CELERY_BROKER_URL or "none (tasks run inline)"
        self.stdout.write(f"broker: {broker.split('@')[-1]}")
        job = job_create(kind=SELFTEST, params={"steps": 5, "pause": 0.2})
        deadline = time.monotonic() + opts["timeout"]
        seen = None
        while time.monotonic() < deadline:
            job.refresh_from_db()
            state = (job.status, job.progress)
            if state != seen:
                self.stdout.write(f"job {job.pk}: {job.status} {job.progress}% {job.message}")
                seen = state
            if job.finished:
                return
            time.sleep(0.1)
        raise CommandError(
            f"job {job.pk} is still {job.status} after {opts['timeout']} s: is a worker running?"
        )
