"""Analytics settings: Django settings first, then the environment, then safe defaults."""

import os
from pathlib import Path

from django.conf import settings


def _setting(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    return default if value in (None, "") else value


def metric_srid() -> int:
    """A projected CRS in metres for distances, buffers and DBSCAN (UTM 18N covers Haiti)."""
    return int(_setting("KOMIN_METRIC_SRID", 32618))


def raster_dir() -> Path:
    return Path(_setting("KOMIN_RASTER_DIR", Path(settings.MEDIA_ROOT) / "rasters"))


def raster_max_bytes() -> int:
    return int(_setting("KOMIN_RASTER_MAX_BYTES", 1024 * 1024 * 1024))


def raster_max_pixels() -> int:
    return int(_setting("KOMIN_RASTER_MAX_PIXELS", 500_000_000))
