"""Report rates per area (the choropleth's data): from the rates rollup, or in one SQL
statement over every report."""

from datetime import datetime

from django.utils import timezone

from analytics.results import Result
from analytics.rollup import BOUND
from analytics.selectors.common import (
    DETAIL_COLUMNS,
    SQL_DIR,
    ProblemFilter,
    geometry,
    problems_sql,
    report_query_session,
    workflow_params,
)
from analytics.selectors.rates_rollup import grouping_for, live_is_small, rollup_rows
from geoportal.sql import fetch_dicts, sql_file

PUBLIC_FIELDS = (
    "pcode", "level", "name_fr", "name_ht", "name_en", "parent", "population", "reports",
    "reports_per_1000", "open_backlog", "backlog_median_age_days", "resolved",
    "median_hours_to_resolve", "share_within_sla",
)  # fmt: skip


def area_rates(
    *,
    filters: ProblemFilter,
    detail: str = "mid",
    as_of: datetime | None = None,
    percentiles: str = "approximate",
) -> Result:
    """From the rollup when asked for approximate percentiles and it can answer (see
    analytics.rollup for the bounds); else exactly from every report (`meta.method`)."""
    as_of = as_of or timezone.now()
    grouping, because = (None, "percentiles=exact")
    if percentiles == "approximate":
        grouping, because = grouping_for(filters)
    params = {**filters.sql_params(), **workflow_params(as_of)}
    with report_query_session():
        if grouping is not None and not live_is_small(params["generation"]):
            grouping, because = None, "many reports changed since the rollup was built"
        if grouping is not None:
            rows = rollup_rows(filters=filters, params=params, grouping=grouping,
                               detail_sql=DETAIL_COLUMNS[detail], as_of=as_of)  # fmt: skip
        else:
            rows = exact_rows(params=params, detail=detail)
    geometries = [geometry(row.pop("geometry")) for row in rows]
    meta = {"analysis": "rates", **filters.describe(), "areas": len(rows)}
    meta["as_of"] = as_of.isoformat()
    meta["method"] = "rollup" if grouping is not None else "exact"
    if grouping is not None:
        meta["percentile_bound"] = BOUND
    elif percentiles == "approximate":
        meta["exact_because"] = because
    return Result(name=f"rates_{filters.level}", rows=rows, geometries=geometries, meta=meta)


def exact_rows(*, params: dict, detail: str) -> list[dict]:
    column, precision = DETAIL_COLUMNS[detail]
    sql = sql_file(SQL_DIR / "rates.sql").format(
        problems=problems_sql(), geom=column, precision=precision
    )
    return fetch_dicts(sql, params)


def public_area_rates(
    *, filters: ProblemFilter, detail: str = "mid", percentiles: str = "approximate"
) -> Result:
    """The transparency page's version: aggregates only, nothing about single reports."""
    result = area_rates(filters=filters, detail=detail, percentiles=percentiles)
    result.rows = [{key: row[key] for key in PUBLIC_FIELDS} for row in result.rows]
    result.meta["analysis"] = "public_rates"
    return result
