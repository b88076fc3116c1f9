"""The jobs app's own job: a self-test that walks its progress from 0 to 100, so an
operator (`manage.py jobs_selftest`) and the tests can see a worker pick up work."""

import time

from jobs.models import Job
from jobs.runners import JobFailed, Outcome, Progress, runner

SELFTEST = "selftest"


@runner(SELFTEST)
def run_selftest(job: Job, progress: Progress) -> Outcome:
    steps = max(1, min(int(job.params.get("steps", 5)), 100))
    pause = max(0.0, min(float(job.params.get("pause", 0.2)), 5.0))
    for step in range(1, steps + 1):
        time.sleep(pause)
        progress(100 * step / (steps + 1), f"step {step} of {steps}")
    if job.params.get("fail"):
        raise JobFailed(str(job.params["fail"]))
    return Outcome(result={"steps": steps})
