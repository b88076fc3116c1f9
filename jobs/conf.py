"""Settings of background jobs: Django settings first, then the environment, then a default."""

import os
from pathlib import Path

from django.conf import settings


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value in (None, "") else type(default)(value)


def jobs_dir() -> Path:
    """Where job inputs (uploads) and results (downloads) are kept; the web server and
    every worker must see the same folder."""
    return Path(_setting("KOMIN_JOBS_DIR", str(Path(settings.MEDIA_ROOT) / "jobs")))


def inline_upload_max_bytes() -> int:
    """Uploads (layer imports, rasters) up to this size are handled in the request;
    larger ones become background jobs answered with 202."""
    return _setting("KOMIN_INLINE_UPLOAD_MAX_BYTES", 5 * 1024 * 1024)


def max_retries() -> int:
    """Tries after the first for work that failed on an outside party (mail server...)."""
    return _setting("KOMIN_JOBS_MAX_RETRIES", 5)


def retry_backoff(attempt: int) -> int:
    """Seconds before try `attempt + 1`: 10 s, 20 s, 40 s ... at most 10 minutes."""
    return min(_setting("KOMIN_JOBS_RETRY_BASE_SECONDS", 10) * 2**attempt, 600)


def keep_days() -> int:
    """Finished jobs' files (results, leftover uploads) are deleted after this many days;
    the job records stay."""
    return _setting("KOMIN_JOBS_KEEP_DAYS", 7)
