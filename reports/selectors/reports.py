"""Reads of reports: what an actor may see, with the list filters of the API."""

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.contrib.gis.geos import Polygon
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)

from communes.access import Actor, R, scope, scope_q
from geoportal.sql import fetch_dicts, fetch_value, sql_file
from layers.geometry import box_around
from layers.models import AdminArea
from layers.selectors.areas import same_pcode_ids
from reports import conf
from reports.asset_labels import asset_label
from reports.models import Category, Report, ReportPhoto, ReportUpdate, Team
from reports.workflow import CLOSED, OPEN

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
# A report names its section, commune and département; their boundaries (four
# multipolygon columns each) are never rendered with it, and loading them made lists of
# reports several times slower.
AREA_GEOMETRIES = [
    f"{area}__{column}"
    for area in ("section", "commune", "departement")
    for column in AdminArea.POLYGONS
]


@dataclass(frozen=True)
class ReportFilters:
    bbox: tuple[float, float, float, float] | None = None
    area: AdminArea | None = None
    categories: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    created_after: datetime | None = None
    created_before: datetime | None = None
    updated_after: datetime | None = None
    assigned_to: int | None = None
    team: int | None = None
    reporter: int | None = None
    references: tuple[str, ...] = ()
    jurisdiction: int | None = None
    workable: bool = False  # only the tickets the actor may work on ("report.work")


def unstaffed_team_q():
    """True when the report's team has no member: nobody will see its tickets."""
    members = Team.members.through.objects.filter(team_id=OuterRef("team_id"))
    return ExpressionWrapper(Q(team__isnull=False) & ~Exists(members), BooleanField())


def unstaffed_backlog(actor: Actor) -> list[dict]:
    """Open tickets the actor manages that sit with a team that has no member, by team."""
    reports = scope(Report.objects.filter(status__in=OPEN), actor, "report.manage")
    rows = (
        reports.annotate(unstaffed=unstaffed_team_q())
        .filter(unstaffed=True)
        .values("team_id", "team__name")
        .annotate(open_tickets=Count("id"))
        .order_by("-open_tickets", "team__name")
    )
    return [
        {"team_id": r["team_id"], "team": r["team__name"], "open_tickets": r["open_tickets"]}
        for r in rows
    ]


def visible_reports(actor: Actor) -> QuerySet[Report]:
    """Everyone sees the public, unhidden reports; staff also see the hidden ones where
    they hold "report.view_private" (their jurisdictions; crews: their team's tickets).
    A person whose only staff role is crew sees their team's tickets only (the work list)."""
    reports = (
        Report.objects.select_related(
            "category", "section", "commune", "departement", "team", "duplicate_of", "jurisdiction"
        )
        .defer(*AREA_GEOMETRIES)
        .prefetch_related(
            Prefetch("photos", queryset=ReportPhoto.objects.order_by("created_at", "id"))
        )
        .annotate(team_unstaffed=unstaffed_team_q())
    )
    private = scope_q(actor, "report.view_private")
    if private is None:
        return reports
    if actor.role == R.CREW:
        return reports.filter(private)
    return reports.filter(Q(hidden=False) | private)


def _status_q(statuses: tuple[str, ...]) -> Q:
    wanted: set[str] = set()
    for status in statuses:
        wanted |= set(OPEN) if status == "open" else set(CLOSED) if status == "closed" else {status}
    return Q(status__in=wanted)


def report_list(*, actor: Actor, filters: ReportFilters) -> QuerySet[Report]:
    reports = visible_reports(actor)
    if filters.bbox:
        reports = reports.filter(location__intersects=Polygon.from_bbox(filters.bbox))
    if filters.area is not None:
        # Reports keep the areas they were filed in: the P-code is matched in every
        # boundary generation.
        area = filters.area
        field = {"section": "section", "commune": "commune", "departement": "departement"}
        ids = same_pcode_ids(area)
        if area.level in field:
            reports = reports.filter(**{f"{field[area.level]}_id__in": ids})
        elif area.level == "arrondissement":
            reports = reports.filter(commune_id__in=ids)
    if filters.categories:
        reports = reports.filter(category__code__in=filters.categories)
    if filters.statuses:
        reports = reports.filter(_status_q(filters.statuses))
    if filters.created_after:
        reports = reports.filter(created_at__gte=filters.created_after)
    if filters.created_before:
        reports = reports.filter(created_at__lte=filters.created_before)
    if filters.updated_after:
        reports = reports.filter(updated_at__gte=filters.updated_after)
    if filters.assigned_to is not None:
        reports = reports.filter(assignee_id=filters.assigned_to)
    if filters.team is not None:
        reports = reports.filter(team_id=filters.team)
    if filters.reporter is not None:
        reports = reports.filter(reporter_id=filters.reporter)
    if filters.references:
        reports = reports.filter(reference__in=filters.references)
    if filters.workable:
        reports = scope(reports, actor, "report.work")
    if filters.jurisdiction is not None:
        reports = reports.filter(jurisdiction_id=filters.jurisdiction)
    return reports.order_by("-created_at", "-id")


def report_get(*, actor: Actor, reference: str) -> Report | None:
    return visible_reports(actor).filter(reference=reference).first()


def nearby_params(
    *, category: Category, lon: float, lat: float, exclude: int | None = None, limit: int = 10
) -> dict:
    """The parameters of reports/sql/nearby_open.sql (also what the benches time)."""
    return {
        "category": category.pk,
        "open": list(OPEN),
        "lon": lon,
        "lat": lat,
        "radius": category.duplicate_radius_m,
        "exclude": exclude,
        "limit": limit,
        "candidates": 4 * limit,  # read from the index, nearest first (see the SQL)
        **box_around(lon, lat, category.duplicate_radius_m),
    }


def nearby_open(
    *, category: Category, lon: float, lat: float, exclude: int | None = None, limit: int = 10
) -> list[dict]:
    """The open reports of the category within its duplicate radius, nearest first, as
    rows of what the public sees of them (`output.report_public_row` makes the answer)."""
    rows = fetch_dicts(
        sql_file(SQL_DIR / "nearby_open.sql"),
        nearby_params(category=category, lon=lon, lat=lat, exclude=exclude, limit=limit),
    )
    for row in rows:
        if isinstance(row["answers"], str):
            row["answers"] = json.loads(row["answers"])
    return rows


def nearest_assets(
    *, category: Category, lon: float, lat: float, limit: int = 5, lang: str = "fr"
) -> list[dict]:
    """The category's assets within KOMIN_ASSET_RADIUS_M of the point, nearest first,
    each with a `label` in the language: its name, else its type translated."""
    if category.layer_id is None:
        return []
    rows = fetch_dicts(
        sql_file(SQL_DIR / "nearest_assets.sql"),
        {
            "layer": category.layer_id,
            "lon": lon,
            "lat": lat,
            "limit": limit,
            "radius": conf.get("KOMIN_ASSET_RADIUS_M"),
            **box_around(lon, lat, conf.get("KOMIN_ASSET_RADIUS_M")),
        },
    )
    for row in rows:
        if isinstance(row["attributes"], str):
            row["attributes"] = json.loads(row["attributes"])
        row["label"] = asset_label(row["attributes"] or {}, lang)
    return rows


def history(*, report: Report, staff: bool) -> QuerySet[ReportUpdate]:
    updates = report.updates.select_related("actor", "photo").order_by("created_at", "id")
    return updates if staff else updates.filter(public=True)


def active_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True).prefetch_related("questions").order_by("code")


def _statuses(statuses: tuple[str, ...]) -> list[str] | None:
    if not statuses:
        return None
    wanted: set[str] = set()
    for status in statuses:
        wanted |= set(OPEN) if status == "open" else set(CLOSED) if status == "closed" else {status}
    return sorted(wanted)


def public_geojson(*, filters: ReportFilters, limit: int) -> str:
    """Public reports as a GeoJSON FeatureCollection (text), newest first."""
    xmin, ymin, xmax, ymax = filters.bbox or (None, None, None, None)
    area_ids = None
    if filters.area is not None:
        # An arrondissement is matched through its communes (reports store the commune),
        # a P-code in every boundary generation (reports keep the areas they were filed in).
        area_ids = same_pcode_ids(filters.area)
    return fetch_value(
        "SET LOCAL jit = off;\n" + sql_file(SQL_DIR / "reports_geojson.sql"),  # as tiles
        {
            "open": list(OPEN),
            "xmin": xmin,
            "ymin": ymin,
            "xmax": xmax,
            "ymax": ymax,
            "categories": list(filters.categories) or None,
            "statuses": _statuses(filters.statuses),
            "area_ids": area_ids,
            "jurisdiction": filters.jurisdiction,
            "after": filters.created_after,
            "before": filters.created_before,
            "limit": limit,
        },
    )
