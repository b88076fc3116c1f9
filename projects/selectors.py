"""Reads of projects: the public list and one project, their money in SQL (Decimal
throughout), and GeoJSON built in PostGIS."""

import json
from decimal import Decimal
from pathlib import Path

from django.db.models import Prefetch, QuerySet

from geoportal.sql import fetch_dicts, fetch_value, sql_file
from projects.models import BudgetLine, Project, ProjectUpdate
from reports.workflow import FIXED, OPEN

SQL = Path(__file__).parent / "sql"
GROUPINGS = ("area", "sector", "source", "project")
LEVELS = ("section", "commune")


def project_list(
    *,
    jurisdiction_id: int | None = None,
    status: str | None = None,
    sector: str | None = None,
    area_pcode: str | None = None,
    bbox=None,
) -> QuerySet[Project]:
    qs = Project.objects.select_related("jurisdiction")
    if jurisdiction_id is not None:
        qs = qs.filter(jurisdiction_id=jurisdiction_id)
    if status:
        qs = qs.filter(status=status)
    if sector:
        qs = qs.filter(sector=sector)
    if area_pcode:
        qs = qs.filter(areas__pcode=area_pcode) | qs.filter(areas__parent__pcode=area_pcode)
        qs = qs.distinct()
    if bbox is not None:
        qs = qs.filter(geom__intersects=bbox)
    return qs.order_by("slug", "pk")  # a stable order for pages


def project_get(slug: str) -> Project | None:
    return (
        Project.objects.select_related("jurisdiction")
        .prefetch_related(
            "areas__parent",
            Prefetch("budget_lines", BudgetLine.objects.select_related("funding_source")),
            Prefetch("updates", ProjectUpdate.objects.prefetch_related("photos")),
            "procurements",
            "reports__category",
        )
        .filter(slug=slug)
        .first()
    )


def money(
    *,
    by: str,
    level: str = "section",
    jurisdiction_id: int | None = None,
    year: int | None = None,
    sector: str | None = None,
    status: str | None = None,
    project_id: int | None = None,
) -> list[dict]:
    """Planned, committed and spent in HTG per area, sector, funding source or project."""
    if by not in GROUPINGS or level not in LEVELS:
        raise ValueError(by)
    params = {
        "year": year,
        "jurisdiction": jurisdiction_id,
        "sector": sector,
        "status": status,
        "level": level,
        "project": project_id,
    }
    sql = (
        f"WITH lines AS ({sql_file(SQL / 'money_lines.sql')})\n"
        f"{sql_file(SQL / f'money_by_{by}.sql')}"
    )
    return fetch_dicts(sql, params)


def project_totals(project: Project) -> dict[str, Decimal]:
    rows = money(by="project", project_id=project.pk)
    return {
        kind: sum((r[kind] for r in rows), Decimal("0.00"))
        for kind in ("planned", "committed", "spent")
    }


def spending_of(ids: list[int]) -> dict[int, dict[str, Decimal]]:
    """Planned and spent (HTG) per project of a page, in one query."""
    rows = fetch_dicts(sql_file(SQL / "projects_spending.sql"), {"ids": ids})
    return {r["project_id"]: {"planned": r["planned"], "spent": r["spent"]} for r in rows}


def projects_geojson(*, ids: list[int], language: str = "fr") -> str:
    return (
        fetch_value(sql_file(SQL / "projects_geojson.sql"), {"ids": ids, "lang": language})
        or '{"type":"FeatureCollection","features":[]}'
    )


def spending_and_reports(
    *, communes: list[str], jurisdiction_id: int | None = None, since=None, until=None
) -> dict:
    """Per section of these communes: spending per resident (all years, HTG) against
    reports per 1,000 residents, as a GeoJSON FeatureCollection for a choropleth."""
    from layers.selectors.generations import current_generation_id

    rows = fetch_dicts(
        sql_file(SQL / "sections_reports.sql"),
        {"communes": communes, "generation": current_generation_id(), "since": since,
         "until": until},
    )  # fmt: skip
    spent = {r["pcode"]: r for r in money(by="area", jurisdiction_id=jurisdiction_id)}
    features = []
    for row in rows:
        geometry = row.pop("geometry")
        cash = spent.get(row["pcode"], {})
        row.update(
            reports_per_1000=_text(row["reports_per_1000"]),
            spent=_text(cash.get("spent", Decimal("0.00"))),
            spent_per_resident=_text(cash.get("spent_per_resident")),
            planned=_text(cash.get("planned", Decimal("0.00"))),
            projects=cash.get("projects", 0),
        )
        features.append({"type": "Feature", "geometry": json.loads(geometry), "properties": row})
    return {"type": "FeatureCollection", "features": features}


def _text(value) -> str | None:
    return None if value is None else str(value)


def section_summary(pcode: str) -> dict | None:
    """What a resident wants to know about their section: reports, projects, spending
    per resident and the infrastructure counted in it (public layers only)."""
    from layers.models import AdminArea
    from layers.selectors.generations import current_generation_id

    area = (
        AdminArea.objects.select_related("parent")
        .filter(generation_id=current_generation_id(), level="section", pcode=pcode)
        .first()
    )
    if area is None:
        return None
    money_row = next((r for r in money(by="area") if r["pcode"] == pcode), {})
    return {
        "area": area,
        "projects": list(project_list(area_pcode=pcode)),
        "reports": fetch_dicts(
            sql_file(SQL / "section_reports_by_status.sql"),
            {"area": area.pk, "open": sorted(OPEN), "fixed": sorted(FIXED)},
        ),
        "infrastructure": fetch_dicts(sql_file(SQL / "section_features.sql"), {"area": area.pk}),
        "money": money_row,
    }
