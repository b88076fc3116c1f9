"""A crew pins a report that was placed from a name (SMS): the point replaces the named
place's, its areas are found again, and the approximate place is marked pinned."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from channels.models import ApproximatePlace
from communes.access import Actor, can
from communes.selectors import jurisdiction_of_commune
from layers.geometry import point
from reports.errors import Forbidden, Invalid, NotFound
from reports.models import Report, ReportUpdate
from reports.services.reports import locate


@transaction.atomic
def report_pin(
    *, report_id: int, actor: Actor, lon: float, lat: float, now: datetime | None = None
) -> Report:
    now = now or timezone.now()
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"No report {report_id}.")
    if not can(actor, "report.work", report):
        raise Forbidden("Only the report's crew, supervisors and administrators pin it.")
    areas = locate(lon=lon, lat=lat)
    commune = areas.get("commune")
    if jurisdiction_of_commune(commune.pcode if commune else None).pk != report.jurisdiction_id:
        raise Invalid("location", "The point is in another town hall's area: transfer it first.")
    approximate = ApproximatePlace.objects.filter(report=report).first()
    report.location = point(lon, lat)
    report.section, report.commune = areas.get("section"), commune
    report.departement = areas.get("departement")
    report.version += 1
    report.updated_at = now
    report.save(update_fields=["location", "section", "commune", "departement", "version",
                               "updated_at"])  # fmt: skip
    was = f"{approximate.name} ± {approximate.uncertainty_m} m" if approximate else "a point"
    ReportUpdate.objects.create(
        report=report, kind=ReportUpdate.Kind.COMMENT, actor=actor.user, actor_role=actor.role,
        from_status=report.status, to_status=report.status, public=False,
        internal_note=f"pinned on the map (was: {was})", created_at=now,
    )  # fmt: skip
    if approximate:
        approximate.pinned_at = now
        approximate.save(update_fields=["pinned_at"])
    return report
