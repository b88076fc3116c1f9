"""What each kind of job does. Apps register a runner per kind in `<app>/job_runners.py`:

    @runner("layer-import")
    def run_import(job: Job, progress: Progress) -> Outcome: ...

A runner raises JobFailed for a failure the starter should read (bad file, rows that do
not fit) and RetryLater when an outside party failed (a mail server...) and trying again
later may work. Any other exception fails the job with a neutral message (logged)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


class Progress(Protocol):
    def __call__(self, percent: float, message: str = "") -> None: ...


@dataclass
class Outcome:
    result: dict = field(default_factory=dict)
    file: Path | None = None  # a file the runner wrote in the job's folder
    media_type: str = ""


class JobFailed(Exception):
    def __init__(self, message: str, *, result: dict | None = None):
        super().__init__(message)
        self.result = result


class RetryLater(Exception):
    """The work failed on an outside party; the job is tried again with backoff."""


Runner = Callable[..., Outcome]
RUNNERS: dict[str, Runner] = {}


def runner(kind: str) -> Callable[[Runner], Runner]:
    def register(function: Runner) -> Runner:
        RUNNERS[kind] = function
        return function

    return register
