"""Helpers shared by the reports API views."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from communes.access import Actor, actor_for
from geoportal.params import parse_int
from layers.api.areas import request_language
from reports import conf
from reports.dates import parse_moment
from reports.errors import (
    Invalid,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
    StaleVersion,
)
from reports.selectors.reports import report_get
from reports.services.photos import clean_photos

__all__ = ["request_language"]


def actor_of(request) -> Actor:
    if not hasattr(request, "_komin_actor"):
        request._komin_actor = actor_for(request.user)
    return request._komin_actor


def get_report(request, reference: str):
    report = report_get(actor=actor_of(request), reference=reference)
    if report is None:
        raise NotFound(_("No report %(reference)s.") % {"reference": reference})
    return report


def if_match(request) -> int | None:
    raw = request.headers.get("If-Match")
    if not raw:
        return None
    value = raw.strip().removeprefix("W/").strip('"')
    try:
        return parse_int(value)
    except ValueError:
        raise ValidationError({"If-Match": [f"{raw!r} is not an ETag of this API."]}) from None


def expected_version(request, body_version: int | None, *, required: bool = True) -> int | None:
    header = if_match(request)
    version = header if header is not None else body_version
    if version is None and required:
        raise PreconditionRequired()
    return version


def reraise_stale(request, exc: StaleVersion):
    """If-Match answers 412 (HTTP preconditions); a version in the body answers 409."""
    if request.headers.get("If-Match"):
        raise PreconditionFailed(exc.expected, exc.current) from None
    raise exc


def parse_when(params, name: str, *, end_of_day: bool = False):
    raw = params.get(name)
    if not raw or not raw.strip():
        return None
    try:
        return parse_moment(raw, end_of_day=end_of_day)
    except ValueError as exc:
        raise ValidationError({name: [str(exc)]}) from None


def checked_photos(files) -> list:
    if len(files) > conf.get("KOMIN_REPORT_MAX_PHOTOS"):
        raise Invalid("photos", f"At most {conf.get('KOMIN_REPORT_MAX_PHOTOS')} photos.")
    return clean_photos(files)
