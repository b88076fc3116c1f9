"""Limits and windows of the reports app: Django settings first, then the environment,
then a default. Each is read when used so that tests may override settings."""

import os

from django.conf import settings

DEFAULTS = {
    "KOMIN_REPORT_MAX_PHOTOS": 5,
    "KOMIN_PHOTO_MAX_BYTES": 8 * 1024 * 1024,
    "KOMIN_PHOTO_MAX_PIXELS": 40_000_000,
    "KOMIN_PHOTO_MAX_SIDE": 2048,
    "KOMIN_PHOTO_THUMB_SIDE": 320,
    # The whole request of a report submission (photos included).
    "KOMIN_REPORT_MAX_REQUEST_BYTES": 30 * 1024 * 1024,
    "KOMIN_REOPEN_DAYS": 14,
    "KOMIN_DESCRIPTION_MAX_CHARS": 5000,
    # Rate limits (KOMIN_RATE_*) are read by geoportal.limits.rates.
    # Optional: département P-codes served (comma-separated); empty = the whole country.
    "KOMIN_SERVICE_DEPARTEMENTS": "",
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
