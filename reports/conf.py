"""Limits and windows of the reports app: Django settings first, then the environment,
then a default. Each is read when used so that tests may override settings."""

import os

from django.conf import settings

DEFAULTS = {
    "KOMIN_REPORT_MAX_PHOTOS": 5,
    "KOMIN_PHOTO_MAX_BYTES": 8 * 1024 * 1024,
    "KOMIN_PHOTO_MAX_PIXELS": 40_000_000,
    "KOMIN_PHOTO_MAX_SIDE": 2048,
    # Decode budgets, checked on the header before any pixel is decoded: the memory a
    # photo takes once decoded (4 bytes a pixel, after JPEG's reduced decoding), per photo
    # and for all the photos of one request; and the most a photo may expand per byte
    # of file beyond the first KOMIN_PHOTO_FREE_DECODE_BYTES (a decompression bomb).
    # 48 MB: a 12 M pixel photo; 96 MB a request: about 3 s and +100 MB in one worker
    # at worst (bench/worst_case.py).
    "KOMIN_PHOTO_MAX_DECODE_BYTES": 48 * 1024 * 1024,
    "KOMIN_REQUEST_MAX_DECODE_BYTES": 96 * 1024 * 1024,
    "KOMIN_PHOTO_MAX_EXPANSION": 100,
    "KOMIN_PHOTO_FREE_DECODE_BYTES": 16 * 1024 * 1024,
    "KOMIN_PHOTO_THUMB_SIDE": 320,
    # A town hall's logo (communes.logos).
    "KOMIN_LOGO_MAX_BYTES": 512 * 1024,
    "KOMIN_LOGO_MAX_SIDE": 1024,
    # The whole request of a report submission (photos included).
    "KOMIN_REPORT_MAX_REQUEST_BYTES": 30 * 1024 * 1024,
    "KOMIN_REOPEN_DAYS": 14,
    "KOMIN_DESCRIPTION_MAX_CHARS": 5000,
    # Rate limits (KOMIN_RATE_*) are read by geoportal.limits.rates.
    # Optional: département P-codes served (comma-separated); empty = the whole country.
    "KOMIN_SERVICE_DEPARTEMENTS": "",
    # "Which one is it?" offers the category's assets within this distance of the pin.
    "KOMIN_ASSET_RADIUS_M": 1500,
    "KOMIN_PUBLIC_URL": "http://127.0.0.1:8000",
    # Open311: the one jurisdiction this server answers for, and its contact.
    "KOMIN_OPEN311_JURISDICTION": "komin.ht",
    "KOMIN_OPEN311_CONTACT": "Komin, service des travaux publics <komin@localhost>",
}


def get(name: str):
    default = DEFAULTS[name]
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return type(default)(value)
