"""The rates rollup: what the rates analysis needs per section, kept up to date so that a
request does not read every report.

Writes: triggers (analytics/sql/rollup_triggers.sql) append the section of every changed
report to `analytics_ratesdirty` in the write's own transaction; the worker
(`analytics.rollup_refresh`, Celery beat) or `manage.py rates_rollup` rebuilds those
sections' cells from their reports (analytics/sql/rates_cells.sql) and deletes the dirty
rows it saw, in one transaction. A read sums the cells of clean sections and counts the
reports of dirty sections (and reports placed by their point) live, in one statement:
counts are exact at every moment, whether the worker has caught up or not.

Percentiles come from histograms: the backlog's median age is within HALF_DAY of the
exact value (open reports by day of creation), hours to resolve within ALPHA relative
(buckets of relative width GAMMA = (1 + ALPHA) / (1 - ALPHA), as in DDSketch), durations
under a minute counting as 0."""

import math

import numpy as np

ALPHA = 0.02
GAMMA = (1 + ALPHA) / (1 - ALPHA)
MINUTE_HOURS = 1 / 60
HALF_DAY = 0.5
BOUND = {
    "backlog_median_age_days": f"within {HALF_DAY} day",
    "median_hours_to_resolve": f"within {ALPHA:.0%} (durations under a minute count as 0)",
    "p90_hours_to_resolve": f"within {ALPHA:.0%} (durations under a minute count as 0)",
}


def bucket_hours(buckets: np.ndarray) -> np.ndarray:
    """The values resolve buckets stand for: each within ALPHA of every duration in it."""
    return np.where(
        buckets > 0, MINUTE_HOURS * 2 * GAMMA ** buckets.astype(float) / (GAMMA + 1), 0.0
    )


def bucket_of(hours: float) -> int:
    """The bucket of a duration, as rates_cells.sql computes it (for tests)."""
    if hours <= MINUTE_HOURS:
        return 0
    return math.ceil(math.log(hours * 60) / math.log(GAMMA))
