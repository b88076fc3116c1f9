"""Report rates per area (the choropleth's data), computed in one SQL statement."""

from datetime import datetime

from django.utils import timezone

from analytics.results import Result
from analytics.selectors.common import (
    DETAIL_COLUMNS,
    SQL_DIR,
    ProblemFilter,
    geometry,
    problems_sql,
    report_query_session,
    workflow_params,
)
from geoportal.sql import fetch_dicts, sql_file

PUBLIC_FIELDS = (
    "pcode", "level", "name_fr", "name_ht", "name_en", "parent", "population", "reports",
    "reports_per_1000", "open_backlog", "backlog_median_age_days", "resolved",
    "median_hours_to_resolve", "share_within_sla",
)  # fmt: skip


def area_rates(
    *, filters: ProblemFilter, detail: str = "mid", as_of: datetime | None = None
) -> Result:
    as_of = as_of or timezone.now()
    column, precision = DETAIL_COLUMNS[detail]
    sql = sql_file(SQL_DIR / "rates.sql").format(
        problems=problems_sql(), geom=column, precision=precision
    )
    with report_query_session():
        rows = fetch_dicts(sql, {**filters.sql_params(), **workflow_params(as_of)})
    geometries = [geometry(row.pop("geometry")) for row in rows]
    meta = {"analysis": "rates", **filters.describe(), "areas": len(rows)}
    meta["as_of"] = as_of.isoformat()
    return Result(name=f"rates_{filters.level}", rows=rows, geometries=geometries, meta=meta)


def public_area_rates(*, filters: ProblemFilter, detail: str = "mid") -> Result:
    """The transparency page's version: aggregates only, nothing about single reports."""
    result = area_rates(filters=filters, detail=detail)
    result.rows = [{key: row[key] for key in PUBLIC_FIELDS} for row in result.rows]
    result.meta["analysis"] = "public_rates"
    return result
