"""Server file paths never reach a client: GDAL, OGR, rasterio and the operating system
name the files they fail on (`/tmp/komin-stage-x1y2/roads.shp: not recognized ...`),
and those texts travel inside our error messages. Every error body the API builds goes
through `without_paths`, which keeps only the file's own name."""

import re
import tempfile
from functools import lru_cache
from pathlib import PurePosixPath

from django.conf import settings

# Absolute paths under the usual roots of a server's file system, the roots of the
# folders this deployment is configured with, and GDAL's virtual file systems (/vsizip/,
# /vsimem/ ...); API paths (/api/, /ogc/ ...) are not touched.
ROOTS = (
    "tmp|var|srv|home|root|usr|opt|etc|proc|sys|dev|mnt|run|work|data|media|private|app"
    r"|vsi\w+"
)
FOLDERS = ("BASE_DIR", "MEDIA_ROOT", "STATIC_ROOT", "KOMIN_DATA_DIR", "KOMIN_RASTER_DIR")


@lru_cache(maxsize=4)
def _pattern(extra: tuple[str, ...]) -> re.Pattern:
    roots = "|".join([ROOTS, *(re.escape(root) for root in extra)])
    return re.compile(r"(?<![\w.:/~-])/(?:" + roots + r")(?:/+[^\s'\"`(),;:<>\[\]{}]*)*")


def _configured_roots() -> tuple[str, ...]:
    folders = [getattr(settings, name, None) for name in FOLDERS] + [tempfile.gettempdir()]
    return _top_folders(tuple(str(f) for f in folders if f))


@lru_cache(maxsize=16)
def _top_folders(folders: tuple[str, ...]) -> tuple[str, ...]:
    """The first folder of each absolute path (every log line asks: kept per settings)."""
    parts = {PurePosixPath(f).parts[1] for f in folders if f.startswith("/") and f != "/"}
    return tuple(sorted(p for p in parts if p))


def _basename(match: re.Match) -> str:
    parts = [part for part in match.group(0).split("/") if part]
    last = parts[-1] if parts else ""
    return last if len(parts) > 1 and last else "(server path)"


def without_paths(value):
    """The same text, list or mapping with every server path replaced by its file name."""
    if isinstance(value, str):
        return _pattern(_configured_roots()).sub(_basename, value)
    if isinstance(value, dict):
        return {key: without_paths(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [without_paths(item) for item in value]
    return value


# Names of private values (a reporter's identity, photo metadata): masked wherever a log
# line or other outgoing text is built from a mapping.
PRIVATE_KEYS = re.compile(
    r"(^|_)(reporter|name|e?mail|phone|exif|gps|photo_meta|metadata|password|token|secret)"
    r"($|_)",
    re.IGNORECASE,
)
NOT_PRIVATE = {"logger", "message", "request_id", "route", "name_fr", "layer_name"}
MASK = "[private]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# A server path has a "/", an e-mail an "@", a secret parameter an "=".
_MAY_HIDE = re.compile(r"[/@=]")
SECRET_PARAM = re.compile(r"((?:token|api_key|key|password|email|phone)=)[^&\s'\"]+", re.I)


def without_private(value):
    """The same mapping (nested) with private fields masked and server paths cut."""
    if isinstance(value, dict):
        return {
            key: MASK
            if isinstance(key, str) and key not in NOT_PRIVATE and PRIVATE_KEYS.search(key)
            else without_private(item)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [without_private(item) for item in value]
    if isinstance(value, str):
        if not _MAY_HIDE.search(value):  # most log values: nothing any pattern could match
            return value
        text = SECRET_PARAM.sub(r"\1" + MASK, without_paths(value))
        return EMAIL.sub("[e-mail]", text)
    return value
