"""Rates per area read from the rollup (analytics.rollup) instead of every report: which
filters it answers, and the sums and percentiles of its cells and live part."""

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from django.conf import settings

from analytics.rollup import GAMMA, HALF_DAY, bucket_hours
from analytics.selectors.common import (
    SQL_DIR,
    ProblemFilter,
    problems_sql,
    territory_sql,
)
from geoportal.sql import fetch_dicts, fetch_value, sql_file

# GROUPING(category, status, month) of the cells (rates_cells.sql).
EVERYTHING, BY_CATEGORY, BY_STATUS, BY_CATEGORY_STATUS, BY_MONTH = 7, 3, 5, 1, 6
# The live part: reports of dirty sections, of no section, of an older generation's
# (their ids first: inside the problems' other conditions the planner walked every report).
LIVE_IDS = """SELECT id FROM reports_report
    WHERE section_id IS NULL
       OR section_id = ANY(ARRAY(SELECT section_id FROM analytics_ratesdirty))
       OR section_id = ANY(ARRAY(SELECT id FROM layers_adminarea
                                 WHERE level = 'section' AND generation_id <> %(generation)s))"""
LIVE = f"AND r.id = ANY(ARRAY({LIVE_IDS}))"
# Both made of the constants above only; values are bound parameters.
LIVE_COUNT = f"SELECT count(*) FROM ({LIVE_IDS} LIMIT %(limit)s) counted"  # nosec B608
DAY = 86400.0


def first_of_month(day: date | None) -> bool:
    return day is None or day.day == 1


def last_of_month(day: date | None) -> bool:
    return day is None or day == date.max or (day + timedelta(days=1)).day == 1


def grouping_for(filters: ProblemFilter) -> tuple[int | None, str | None]:
    """The cells that answer these filters, or None and why the exact query must."""
    if filters.boundaries != "current":
        return None, "boundaries=filed counts reports in the areas they were filed in"
    dated = filters.date_from is not None or filters.date_to is not None
    if dated:
        if filters.categories or filters.statuses:
            return None, "dates with a category or status filter"
        if not (first_of_month(filters.date_from) and last_of_month(filters.date_to)):
            return None, "dates that are not whole months"
        return BY_MONTH, None
    if filters.categories and filters.statuses:
        return BY_CATEGORY_STATUS, None
    if filters.categories:
        return BY_CATEGORY, None
    if filters.statuses:
        return BY_STATUS, None
    return EVERYTHING, None


def live_is_small(generation: int | None) -> bool:
    """Whether the reports the read must count live (sections the worker has not rebuilt
    yet, reports placed by their point) are few enough for the rollup to pay."""
    limit = settings.KOMIN_RATES_ROLLUP_LIVE_MAX
    return fetch_value(LIVE_COUNT, {"generation": generation, "limit": limit + 1}) <= limit


def _round(value: float | None, places: str) -> Decimal | None:
    if value is None:
        return None
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def percentiles(tops: np.ndarray, values: np.ndarray, counts: np.ndarray, qs: tuple,
                sort: bool) -> dict:  # fmt: skip
    """percentile_cont per top area over histograms (value, count) of many rows, all areas
    at once: the two ranks it interpolates between, each read as the value of its bucket.
    Rows come by top area, each sorted by value (`sort`: several rows per area, to merge).
    Returns {top: [value per q]}."""
    if not len(values):
        return {}
    if sort:
        order = np.lexsort((values, tops))
        tops, values, counts = tops[order], values[order], counts[order]
    cumulative = np.cumsum(counts)
    ids, first = np.unique(tops, return_index=True)
    last = np.append(first[1:], len(tops)) - 1
    before = np.where(first > 0, cumulative[first - 1], 0)
    totals = cumulative[last] - before
    found = []
    for q in qs:
        position = q * (totals - 1)
        low, high = np.floor(position), np.ceil(position)
        at_low = values[np.searchsorted(cumulative, before + low, side="right")]
        at_high = values[np.searchsorted(cumulative, before + high, side="right")]
        found.append(at_low + (position - low) * (at_high - at_low))
    return {int(top): [float(f[i]) for f in found] for i, top in enumerate(ids)}


def int_array(sent) -> np.ndarray:
    """An int[] as array_send() sends it: a header (dimensions, null flag, element type,
    then size and lower bound of the one dimension), then length and value of each
    element, big-endian. Read without making a Python object per element."""
    words = np.frombuffer(sent, dtype=">i4")
    return words[5 + 1 :: 2] if words[0] else words[:0]


def histogram(rows: list[dict], value_key: str, count_key: str) -> tuple:
    values = [int_array(row[value_key]) for row in rows]
    tops = np.repeat([row["top_id"] for row in rows], [len(v) for v in values])
    counts = np.concatenate([int_array(row[count_key]) for row in rows]) if rows else []
    return tops, np.concatenate(values).astype(np.float64) if rows else np.array([]), counts


COUNTED = ("reports", "open_backlog", "resolved", "resolved_with_sla", "resolved_within_sla")


def figures_by_area(rows: list[dict], as_of: datetime) -> dict[int, dict]:
    """Per top area: its cells' and live part's counts summed, percentiles from their
    histograms summed, with rates.sql's rounding."""
    counts: dict[int, dict] = defaultdict(lambda: dict.fromkeys(COUNTED, 0))
    oldest: dict[int, datetime] = {}
    for row in rows:
        summed = counts[row["top_id"]]
        for key in COUNTED:
            summed[key] += row[key] or 0
        if row["oldest_open"] is not None:
            known = oldest.get(row["top_id"])
            oldest[row["top_id"]] = min(known, row["oldest_open"]) if known else row["oldest_open"]
    rows = sorted(rows, key=lambda row: row["top_id"])
    merge = len(counts) < len(rows)
    tops, days, n = histogram(rows, "open_days", "open_counts")
    created = percentiles(tops, days + HALF_DAY, n, (0.5,), sort=merge)
    tops, buckets, n = histogram(rows, "resolve_buckets", "resolve_counts")
    hours = percentiles(tops, bucket_hours(buckets), n, (0.5, 0.9), sort=merge)
    now = as_of.timestamp() / DAY
    figures = {}
    for top, summed in counts.items():
        with_sla = summed["resolved_with_sla"]
        median_hours, p90_hours = hours.get(top, (None, None))
        figures[top] = {
            "reports": summed["reports"], "open_backlog": summed["open_backlog"],
            "backlog_median_age_days": _round(now - created[top][0], "0.01") if top in created else None,
            "backlog_oldest_age_days": (
                _round((as_of - oldest[top]).total_seconds() / DAY, "0.01") if top in oldest else None
            ),
            "resolved": summed["resolved"],
            "median_hours_to_resolve": _round(median_hours, "0.01"),
            "p90_hours_to_resolve": _round(p90_hours, "0.01"),
            "resolved_with_sla": with_sla,
            "share_within_sla": (
                _round(summed["resolved_within_sla"] / with_sla, "0.0001") if with_sla else None
            ),
        }  # fmt: skip
    return figures


EMPTY = {
    "reports": 0, "open_backlog": 0, "backlog_median_age_days": None,
    "backlog_oldest_age_days": None, "resolved": 0, "median_hours_to_resolve": None,
    "p90_hours_to_resolve": None, "resolved_with_sla": 0, "share_within_sla": None,
}  # fmt: skip


def rollup_rows(*, filters: ProblemFilter, params: dict, grouping: int,
                detail_sql: tuple[str, int], as_of: datetime) -> list[dict]:  # fmt: skip
    """Rows with rates.sql's columns (and geometry), from the rollup; `params`: the
    filters' and the workflow's SQL parameters."""
    params = {**params, "grouping": grouping}
    params["gamma"] = GAMMA
    params["since_month"] = filters.date_from
    params["until_month"] = filters.date_to + timedelta(days=1) if filters.date_to else None
    sql = sql_file(SQL_DIR / "rates_rollup.sql").format(problems=problems_sql(LIVE))
    figures = figures_by_area(fetch_dicts(sql, params), as_of)
    column, precision = detail_sql
    areas_sql = sql_file(SQL_DIR / "rates_areas.sql").format(
        territory=territory_sql(), geom=column, precision=precision
    )
    areas = fetch_dicts(areas_sql, {**params, "tops": list(figures)})
    rows = []
    for area in areas:
        population = area["population"]
        found = dict(figures.get(area.pop("id"), EMPTY))
        geometry = area.pop("geometry")
        per_1000 = None
        if population:
            per_1000 = (Decimal(1000 * found["reports"]) / Decimal(population)).quantize(
                Decimal("0.001"), rounding=ROUND_HALF_UP
            )
        row = {**area, "reports": found.pop("reports"), "reports_per_1000": per_1000}
        rows.append({**row, **found, "geometry": geometry})
    return rows
