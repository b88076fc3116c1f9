"""Open311 GeoReport v2: service requests, tokens and (extension) service request updates.
An adapter: every read and write goes through the reports selectors and services."""

import re
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from communes.access import ANONYMOUS as PUBLIC
from communes.access import actor_for
from communes.selectors import offered_categories
from geoportal.idempotency import idempotent
from geoportal.params import parse_int
from geoportal.sql import fetch_dicts, sql_file
from layers.selectors.generations import current_generation_id
from open311.base import Open311View
from open311.keys import api_key_check
from open311.output import request_out, update_out, with_status_notes
from open311.render import Open311Error, respond
from open311.throttles import raw_api_key
from open311.tokens import lookup_token, reference_of
from reports.dates import parse_moment
from reports.models import Category, ReportUpdate
from reports.selectors.reports import ReportFilters, report_list, visible_reports
from reports.services.photos import clean_photo
from reports.services.reports import Contact, locate, report_create
from reports.services.workflow import report_transition
from reports.workflow import CLOSED, OPEN, Status

SQL_DIR = Path(__file__).resolve().parent / "sql"
ATTRIBUTE = re.compile(r"^attribute\[([\w-]+)\](\[\])?$")
DEFAULT_DAYS = 90
MAX_PAGE_SIZE = 1000
# Status words of the specification and of the common extension (FixMyStreet's).
UPDATE_STATUSES = {
    "fixed": Status.RESOLVED,
    "action_scheduled": Status.ACKNOWLEDGED,
    "investigating": Status.ACKNOWLEDGED,
    "not_councils_responsibility": Status.NOT_RESPONSIBLE,
    "no_further_action": Status.CLOSED,
    **{status: status for status in Status.values},
}


def _float(params, name: str, low: float, high: float) -> float | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise Open311Error(400, f"{name} {raw!r} is not a number.") from None
    if not (low <= value <= high):
        raise Open311Error(400, f"{name} {value} is out of range ({low} to {high}).")
    return value


def _when(params, name: str):
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        # A "+" of an offset often arrives as a space when a client forgot to encode it.
        return parse_moment(raw.replace(" ", "+"), end_of_day=name == "end_date")
    except ValueError:
        raise Open311Error(400, f"{name} {raw!r} is not a W3C date-time (ISO 8601).") from None


def _int(params, name: str, default: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = parse_int(raw)
    except ValueError:
        value = 0
    if not (1 <= value <= high):
        raise Open311Error(400, f"{name} must be a whole number from 1 to {high}.")
    return value


def _extensions(request) -> bool:
    return (request.query_params.get("extensions") or "").lower() in ("true", "1")


def _page(request, queryset):
    page = _int(request.query_params, "page", 1, 1_000_000)
    size = _int(request.query_params, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE)
    return queryset[(page - 1) * size : page * size]


def _attributes(post) -> dict:
    answers = {}
    for key in post:
        match = ATTRIBUTE.match(key)
        if match:
            values = post.getlist(key)
            answers[match.group(1)] = values if match.group(2) or len(values) > 1 else values[0]
    return answers


def _location(post) -> tuple[float, float, str]:
    lat = _float(post, "lat", -90, 90)
    lon = _float(post, "long", -180, 180)
    address = (post.get("address_string") or "").strip()
    if lat is not None and lon is not None:
        return lon, lat, address
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat and long must be sent together.")
    if not address:
        raise Open311Error(400, "A location is required: lat and long, or address_string.")
    rows = fetch_dicts(
        sql_file(SQL_DIR / "locate_address.sql"),
        {"address": address, "generation": current_generation_id()},
    )
    if not rows:
        raise Open311Error(
            400, f"address_string {address!r} names no known commune or section; send lat/long."
        )
    return rows[0]["lon"], rows[0]["lat"], address


class RequestListView(Open311View):
    def get(self, request, fmt=None):
        params = request.query_params
        lang = self.language(request)
        ids = tuple(
            i.strip() for i in (params.get("service_request_id") or "").split(",") if i.strip()
        )
        where = self.jurisdiction.pk if self.jurisdiction else None
        if ids:  # the specification: other parameters are ignored
            filters = ReportFilters(references=ids, jurisdiction=where)
        else:
            statuses = tuple(
                s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()
            )
            if any(s not in ("open", "closed") for s in statuses):
                raise Open311Error(400, "status must be open, closed or both (comma-separated).")
            start, end = _when(params, "start_date"), _when(params, "end_date")
            if start is None and end is None:
                start = timezone.now() - timedelta(days=DEFAULT_DAYS)
            codes = tuple(
                c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()
            )
            filters = ReportFilters(
                categories=codes,
                statuses=statuses,
                created_after=start,
                created_before=end,
                jurisdiction=where,
            )
        reports = with_status_notes(report_list(actor=PUBLIC, filters=filters))
        data = [
            request_out(r, request, lang, _extensions(request)) for r in _page(request, reports)
        ]
        return respond(self.fmt, "service_requests", data)

    @idempotent
    def post(self, request, fmt=None):
        post = request.POST
        key = api_key_check(raw_api_key(request))
        code = (post.get("service_code") or "").strip()
        if not code:
            raise Open311Error(400, "service_code is required.")
        categories = Category.objects.filter(code=code, active=True)
        category = offered_categories(categories, self.jurisdiction).first()
        if category is None:
            raise Open311Error(404, f"service_code {code!r} is not a service of this server.")
        lon, lat, address = _location(post)
        self.check_location(lon, lat)
        upload = request.FILES.get("media")
        photos = [clean_photo(upload, field="media")] if upload else []
        media_url = (post.get("media_url") or "").strip()
        name = " ".join(
            filter(None, [post.get("first_name", "").strip(), post.get("last_name", "").strip()])
        )
        with transaction.atomic():
            report = report_create(
                category=category,
                lon=lon,
                lat=lat,
                description=post.get("description") or "",
                answers=_attributes(post),
                photos=photos,
                address=address,
                contact=Contact(
                    name=name, email=post.get("email") or "", phone=post.get("phone") or ""
                ),
                source="open311",
                language=self.language(request),
                # A remote media_url is given back as posted, never fetched (no
                # server-side requests).
                media_url=media_url,
                note=f"open311 key: {key.name}",
            ).report
        body = [
            {
                "service_request_id": report.reference,
                # The spec's lookup token, not the reporter's private tracking token.
                "token": lookup_token(report.reference),
                "service_notice": None,
                "account_id": None,
            }
        ]
        return respond(self.fmt, "service_requests", body, status=201)

    def check_location(self, lon: float, lat: float) -> None:
        """A request sent to one town hall must lie in its territory."""
        if self.jurisdiction is None:
            return
        commune = locate(lon=lon, lat=lat).get("commune")
        if commune is None or commune.pcode not in self.jurisdiction.pcodes:
            raise Open311Error(
                400,
                f"The location ({lon}, {lat}) is outside {self.jurisdiction.open311_id}; "
                "send it without jurisdiction_id or to the jurisdiction that contains it.",
            )


class RequestDetailView(Open311View):
    def get(self, request, reference, fmt=None):
        report = with_status_notes(visible_reports(PUBLIC)).filter(reference=reference).first()
        if report is None:
            raise Open311Error(404, f"service_request_id {reference!r} not found.")
        data = [request_out(report, request, self.language(request), _extensions(request))]
        return respond(self.fmt, "service_requests", data)


class TokenView(Open311View):
    def get(self, request, token, fmt=None):
        reference = reference_of(token)
        report = visible_reports(PUBLIC).filter(reference=reference).first() if reference else None
        if report is None:
            raise Open311Error(404, "token not found.")
        data = [{"service_request_id": report.reference, "token": token}]
        return respond(self.fmt, "service_requests", data)


class UpdateListView(Open311View):
    def get(self, request, fmt=None):
        params = request.query_params
        start, end = _when(params, "start_date"), _when(params, "end_date")
        updates = ReportUpdate.objects.filter(public=True, report__hidden=False).select_related(
            "report", "photo"
        )
        if params.get("service_request_id"):
            ids = [i.strip() for i in params["service_request_id"].split(",") if i.strip()]
            updates = updates.filter(report__reference__in=ids)
        elif start is None and end is None:
            start = timezone.now() - timedelta(days=DEFAULT_DAYS)
        if start:
            updates = updates.filter(created_at__gte=start)
        if end:
            updates = updates.filter(created_at__lte=end)
        updates = updates.order_by("created_at", "id")
        data = [update_out(u, request, _extensions(request)) for u in _page(request, updates)]
        return respond(self.fmt, "service_request_updates", data)

    @idempotent
    def post(self, request, fmt=None):
        post = request.POST
        key = api_key_check(raw_api_key(request))
        reference = (post.get("service_request_id") or "").strip()
        if not reference:
            raise Open311Error(400, "service_request_id is required.")
        report = visible_reports(PUBLIC).filter(reference=reference).first()
        if report is None:
            raise Open311Error(404, f"service_request_id {reference!r} not found.")
        actor = actor_for(key.user) if key.user_id else PUBLIC
        target = self.target_status(report, (post.get("status") or "").strip())
        upload = request.FILES.get("media")
        update = report_transition(
            report_id=report.pk,
            actor=actor,
            status=target,
            version=None,
            public_note=(post.get("description") or "").strip(),
            internal_note=f"via Open311 key {key.name}",
            photo=clean_photo(upload, field="media") if upload else None,
            token=post.get("token") or None,
        )
        return respond(self.fmt, "service_request_updates", [{"update_id": str(update.pk)}])

    @staticmethod
    def target_status(report, raw: str) -> str | None:
        word = raw.lower()
        if not word:
            raise Open311Error(400, "status is required (open, closed or a detailed status).")
        if word == "open":
            return None if report.status in OPEN else Status.REOPENED
        if word == "closed":  # on a resolved report: the fix is confirmed
            return None if report.status in CLOSED - {Status.RESOLVED} else Status.CLOSED
        if word not in UPDATE_STATUSES:
            raise Open311Error(400, f"status {raw!r} is not known.")
        target = UPDATE_STATUSES[word]
        return None if target == report.status else target
