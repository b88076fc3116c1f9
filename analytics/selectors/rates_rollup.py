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
LIVE_COUNT = f"SELECT count(*) FROM ({LIVE_IDS} LIMIT %(limit)s) counted"
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


def percentile(values: np.ndarray, counts: np.ndarray, q: float) -> float:
    """percentile_cont over a histogram: the two ranks it interpolates between, each read
    as the value of its bucket."""
    order = np.argsort(values, kind="stable")
    values, cumulative = values[order], np.cumsum(counts[order])
    position = q * (cumulative[-1] - 1)
    low, high = int(np.floor(position)), int(np.ceil(position))
    at_low = values[np.searchsorted(cumulative, low, side="right")]
    at_high = values[np.searchsorted(cumulative, high, side="right")]
    return float(at_low + (position - low) * (at_high - at_low))


class Sums:
    """One area's cells and live part added up."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.oldest_open: datetime | None = None
        self.open_days: list = []
        self.open_counts: list = []
        self.buckets: list = []
        self.bucket_counts: list = []

    def add(self, row: dict) -> None:
        for key in ("reports", "open_backlog", "resolved", "resolved_with_sla",
                    "resolved_within_sla"):  # fmt: skip
            self.counts[key] += row[key] or 0
        if row["oldest_open"] is not None:
            self.oldest_open = min(filter(None, (self.oldest_open, row["oldest_open"])))
        self.open_days += row["open_days"]
        self.open_counts += row["open_counts"]
        self.buckets += row["resolve_buckets"]
        self.bucket_counts += row["resolve_counts"]

    def figures(self, as_of: datetime) -> dict:
        counts = self.counts
        median_age = oldest = median_hours = p90_hours = None
        if self.open_days:
            created = percentile(
                np.array(self.open_days) + HALF_DAY, np.array(self.open_counts), 0.5
            )
            median_age = as_of.timestamp() / DAY - created
            oldest = (as_of - self.oldest_open).total_seconds() / DAY
        if self.buckets:
            hours = bucket_hours(np.array(self.buckets))
            median_hours = percentile(hours, np.array(self.bucket_counts), 0.5)
            p90_hours = percentile(hours, np.array(self.bucket_counts), 0.9)
        with_sla = counts["resolved_with_sla"]
        return {
            "reports": counts["reports"], "open_backlog": counts["open_backlog"],
            "backlog_median_age_days": _round(median_age, "0.01"),
            "backlog_oldest_age_days": _round(oldest, "0.01"),
            "resolved": counts["resolved"],
            "median_hours_to_resolve": _round(median_hours, "0.01"),
            "p90_hours_to_resolve": _round(p90_hours, "0.01"),
            "resolved_with_sla": with_sla,
            "share_within_sla": (
                _round(counts["resolved_within_sla"] / with_sla, "0.0001") if with_sla else None
            ),
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
    sums: dict[int, Sums] = defaultdict(Sums)
    for row in fetch_dicts(sql, params):
        sums[row["top_id"]].add(row)
    column, precision = detail_sql
    areas_sql = sql_file(SQL_DIR / "rates_areas.sql").format(
        territory=territory_sql(), geom=column, precision=precision
    )
    areas = fetch_dicts(areas_sql, {**params, "tops": list(sums)})
    rows = []
    for area in areas:
        population = area["population"]
        figures = sums[area.pop("id")].figures(as_of)
        geometry = area.pop("geometry")
        per_1000 = None
        if population:
            per_1000 = (Decimal(1000 * figures["reports"]) / Decimal(population)).quantize(
                Decimal("0.001"), rounding=ROUND_HALF_UP
            )
        row = {**area, "reports": figures.pop("reports"), "reports_per_1000": per_1000}
        rows.append({**row, **figures, "geometry": geometry})
    return rows
