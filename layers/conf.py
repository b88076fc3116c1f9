"""Limits and defaults of the layers app, each overridable from Django settings."""

import os

from django.conf import settings

MB = 1024 * 1024


def setting(name: str, default):
    return getattr(settings, name, default)


def import_max_bytes() -> int:
    """Largest file accepted for import (an upload or a zip as it arrives)."""
    return setting("KOMIN_IMPORT_MAX_BYTES", 100 * MB)


def import_max_unzipped_bytes() -> int:
    return setting("KOMIN_IMPORT_MAX_UNZIPPED_BYTES", 500 * MB)


def import_max_zip_ratio() -> int:
    """A member that expands more than this many times is treated as a zip bomb."""
    return setting("KOMIN_IMPORT_MAX_ZIP_RATIO", 100)


def import_max_zip_members() -> int:
    return setting("KOMIN_IMPORT_MAX_ZIP_MEMBERS", 50)


def import_max_rows() -> int:
    return setting("KOMIN_IMPORT_MAX_ROWS", 1_000_000)


def import_batch_rows() -> int:
    """Rows read, checked and written at a time: the import's memory is about one batch."""
    return int(
        setting("KOMIN_IMPORT_BATCH_ROWS", os.environ.get("KOMIN_IMPORT_BATCH_ROWS", 10_000))
    )


def count_max() -> int:
    """Layers up to this many features say `numberMatched` on every page (one count)."""
    return setting("KOMIN_FEATURES_COUNT_MAX", 100_000)


def page_max() -> int:
    """Hard cap on a GeoJSON or OGC items page."""
    return setting("KOMIN_FEATURES_PAGE_MAX", 10_000)


def page_default() -> int:
    return setting("KOMIN_FEATURES_PAGE_DEFAULT", 100)


def tile_cache_seconds() -> int:
    """0 turns the tile cache off (the benchmark measures tiles as built)."""
    return int(
        setting("KOMIN_TILE_CACHE_SECONDS", os.environ.get("KOMIN_TILE_CACHE_SECONDS", 3600))
    )
