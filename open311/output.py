"""Reports and their updates as GeoReport v2 service requests (public fields only)."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse

from reports.models import Report, ReportUpdate
from reports.workflow import group


def with_status_notes(reports: QuerySet[Report]) -> QuerySet[Report]:
    latest_note = (
        ReportUpdate.objects.filter(report=OuterRef("pk"), public=True)
        .exclude(public_note="")
        .order_by("-created_at", "-id")
        .values("public_note")[:1]
    )
    return reports.annotate(status_notes=Subquery(latest_note))


def when(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def updated(report: Report):
    """A closed request was last updated when it closed: later supports or comments do
    not reopen it for clients that sync by `updated_datetime`."""
    if group(report.status) == "closed" and report.closed_at:
        return report.closed_at
    return report.updated_at


def photo_url(request, photo) -> str:
    return request.build_absolute_uri(reverse("report-photo", args=[photo.pk]))


def request_out(report: Report, request, lang: str, extensions: bool) -> dict:
    photos = [p for p in report.photos.all() if not p.hidden]
    category = report.category
    data = {
        "service_request_id": report.reference,
        "status": group(report.status),
        "status_notes": getattr(report, "status_notes", None) or None,
        "service_name": getattr(category, f"name_{lang}", "") or category.name_fr,
        "service_code": category.code,
        "description": report.description or None,
        "agency_responsible": (report.team.name if report.team else category.department) or None,
        "service_notice": None,
        "requested_datetime": when(report.created_at),
        "updated_datetime": when(updated(report)),
        "expected_datetime": when(report.expected_at),
        "address": report.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": report.location.y,
        "long": report.location.x,
        "media_url": photo_url(request, photos[0]) if photos else (report.media_url or None),
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": report.status.upper(),
            "priority": report.priority,
            "support_count": report.support_count,
            "section": report.section.pcode if report.section else None,
            "commune": report.commune.pcode if report.commune else None,
            "departement": report.departement.pcode if report.departement else None,
            "duplicate_of": report.duplicate_of.reference if report.duplicate_of else None,
            "resolved_datetime": when(report.resolved_at),
            "closed_datetime": when(report.closed_at),
            "photos": [photo_url(request, p) for p in photos],
        }
    return data


def update_out(update: ReportUpdate, request, extensions: bool) -> dict:
    photo = update.photo if update.photo and not update.photo.hidden else None
    data = {
        "update_id": str(update.pk),
        "service_request_id": update.report.reference,
        "status": group(update.to_status),
        "updated_datetime": when(update.created_at),
        "description": update.public_note or None,
        "media_url": photo_url(request, photo) if photo else None,
    }
    if extensions:
        data["extended_attributes"] = {
            "detailed_status": update.to_status.upper(),
            "kind": update.kind,
        }
    return data
