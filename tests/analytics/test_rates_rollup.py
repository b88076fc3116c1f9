"""The rates rollup (analytics.rollup) against the exact query, on real PostGIS: counts
equal and percentiles within the stated bounds after every kind of report write, before
and after the worker rebuilds the dirty sections' cells."""

import io
import random
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from analytics.models import RatesCell, RatesDirty
from analytics.rollup import ALPHA, GAMMA, HALF_DAY, bucket_hours, bucket_of
from analytics.selectors.common import ProblemFilter
from analytics.selectors.rates import area_rates
from analytics.services.rollup import rollup_rebuild, rollup_refresh
from communes.access import actor_for
from communes.models import Membership
from reports.models import Category, Report
from reports.services.workflow import report_merge, report_moderate, report_transition
from tests.analytics.conftest import cell_centre, make_report

pytestmark = pytest.mark.django_db
AS_OF = datetime(2026, 3, 1, 12, tzinfo=UTC)
COUNTS = ("reports", "reports_per_1000", "open_backlog", "backlog_oldest_age_days", "resolved",
          "resolved_with_sla", "share_within_sla")  # fmt: skip


@pytest.fixture(autouse=True)
def _without_other_tests_cells():
    """Dirty sections and cells that other tests committed on this test database (a
    transactional test filing reports) are not this test's to count: it starts without
    them, inside its own transaction, which rolls back after it."""
    RatesDirty.objects.all().delete()
    RatesCell.objects.all().delete()


def assert_agree(filters: ProblemFilter) -> None:
    """The rollup's answer is the exact one: counts equal, percentiles within the bound."""
    rollup = area_rates(filters=filters, as_of=AS_OF)
    exact = area_rates(filters=filters, as_of=AS_OF, percentiles="exact")
    assert rollup.meta["method"] == "rollup" and exact.meta["method"] == "exact"
    assert [list(row) for row in rollup.rows] == [list(row) for row in exact.rows]
    assert rollup.geometries == exact.geometries
    for got, want in zip(rollup.rows, exact.rows, strict=True):
        assert {key: got[key] for key in COUNTS} == {key: want[key] for key in COUNTS}
        for key in ("backlog_median_age_days",):
            assert (got[key] is None) == (want[key] is None)
            if want[key] is not None:
                assert abs(float(got[key]) - float(want[key])) <= HALF_DAY + 0.01, key
        for key in ("median_hours_to_resolve", "p90_hours_to_resolve"):
            assert (got[key] is None) == (want[key] is None)
            if want[key] is not None:
                assert abs(float(got[key]) - float(want[key])) <= ALPHA * float(want[key]) + 0.01


def assert_agree_everywhere(section_filters=()) -> None:
    for level in ("section", "departement"):
        assert_agree(ProblemFilter(level=level, area="ZZ"))
    for extra in section_filters:
        assert_agree(ProblemFilter(level="section", area="ZZ", **extra))


FILTERS = (
    {"categories": ("pothole",)},
    {"statuses": ("open",)},
    {"statuses": ("fixed",), "categories": ("water",)},
    {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)},
)


@pytest.fixture
def people(db):
    user = get_user_model().objects.create_user("chief", password="x")
    Membership.objects.create(user=user, jurisdiction=None, role="supervisor")
    return actor_for(user)


@pytest.fixture
def water(db):
    return Category.objects.create(code="water", name_fr="Eau", sla_hours=None)


def random_reports(category, water, grid, count, seed=7):
    """Reports with random statuses, creation and resolution times over the grid."""
    rng = random.Random(seed)
    _, cells = grid
    made = []
    for _ in range(count):
        row, col = rng.randrange(3), rng.randrange(3)
        status = rng.choice(["submitted", "acknowledged", "in_progress", "resolved", "closed",
                             "not_responsible"])  # fmt: skip
        created = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=rng.uniform(0, 1400))
        resolved = None
        if status in ("resolved", "closed"):
            resolved = created + timedelta(hours=rng.expovariate(1 / 60))
        made.append(make_report(
            rng.choice([category, water]), cell_centre(row, col), status=status,
            created=created, resolved=resolved, section=cells[(row, col)],
        ))  # fmt: skip
    return made


def test_rollup_agrees_with_exact_after_every_kind_of_write(grid, category, water, people):
    made = random_reports(category, water, grid, 120)
    make_report(category, cell_centre(2, 2))  # no stored section: placed by its point, live
    assert RatesDirty.objects.exists()
    assert_agree_everywhere(FILTERS)  # dirty sections, read live
    assert rollup_refresh() == 9 and not RatesDirty.objects.exists()
    assert RatesCell.objects.filter(grouping=7).count() == 9
    assert_agree_everywhere(FILTERS)  # from the cells

    first, second, third, fourth, fifth = [r for r in made if r.status == "submitted"][:5]
    report_transition(report_id=first.pk, actor=people, status="acknowledged", version=None)
    report_transition(report_id=second.pk, actor=people, status="resolved", version=None,
                      now=second.created_at + timedelta(hours=30))  # fmt: skip
    report_moderate(report_id=third.pk, actor=people, hidden=True, reason="abuse")
    report_merge(report_id=fourth.pk, into_id=first.pk, actor=people, version=None)
    Report.objects.filter(pk=fifth.pk).delete()
    assert RatesDirty.objects.exists()
    assert_agree_everywhere(FILTERS)  # the changed sections read live, the others from cells
    rollup_refresh()
    assert_agree_everywhere(FILTERS)


def test_a_changed_sla_makes_its_sections_dirty(grid, category, water):
    random_reports(category, water, grid, 40)
    rollup_refresh()
    Category.objects.filter(pk=category.pk).update(sla_hours=100)
    assert RatesDirty.objects.exists()
    assert_agree(ProblemFilter(level="section", area="ZZ"))
    rollup_refresh()
    assert_agree(ProblemFilter(level="section", area="ZZ"))


def test_a_save_that_changes_nothing_counted_marks_nothing(grid, category):
    report = make_report(category, cell_centre(0, 0), section=grid[1][(0, 0)])
    rollup_refresh()
    report.description = "more words"
    report.save()
    assert not RatesDirty.objects.exists()
    report.status = "acknowledged"
    report.save()
    assert list(RatesDirty.objects.values_list("section_id", flat=True)) == [report.section_id]


@pytest.mark.parametrize(
    ("filters", "because"),
    [
        ({"date_from": date(2026, 1, 2)}, "dates that are not whole months"),
        ({"date_from": date(2026, 1, 1), "categories": ("pothole",)},
         "dates with a category or status filter"),
        ({"boundaries": "filed"}, "boundaries=filed counts reports in the areas they were filed in"),
    ],
)  # fmt: skip
def test_filters_the_cells_cannot_answer_go_exact(grid, category, filters, because):
    make_report(category, cell_centre(0, 0), section=grid[1][(0, 0)])
    result = area_rates(filters=ProblemFilter(level="section", area="ZZ", **filters))
    assert result.meta["method"] == "exact" and result.meta["exact_because"] == because


def test_many_changed_reports_go_exact_until_the_worker_has_caught_up(grid, category, settings):
    settings.KOMIN_RATES_ROLLUP_LIVE_MAX = 3
    for _ in range(4):
        make_report(category, cell_centre(0, 0), section=grid[1][(0, 0)])
    result = area_rates(filters=ProblemFilter(level="section", area="ZZ"))
    assert result.meta["exact_because"] == "many reports changed since the rollup was built"
    rollup_refresh()
    assert area_rates(filters=ProblemFilter(level="section", area="ZZ")).meta["method"] == "rollup"


def test_rebuild_command_rebuilds_every_cell(grid, category, water):
    random_reports(category, water, grid, 30)
    rollup_refresh()
    sections = RatesCell.objects.filter(grouping=7).count()
    with connection.cursor() as cursor:  # lost cells, as after a restore of part of a dump
        cursor.execute("DELETE FROM analytics_ratescell WHERE grouping = 7")
    call_command("rates_rollup", "--rebuild", stdout=io.StringIO())
    assert sections >= 8 and RatesCell.objects.filter(grouping=7).count() == sections
    assert rollup_rebuild() == RatesCell.objects.count()
    assert_agree_everywhere()


def test_resolve_buckets_stand_for_their_durations_within_alpha():
    durations = np.array([0.02, 0.5, 1, 23.9, 48, 400, 10_000])
    buckets = np.array([bucket_of(hours) for hours in durations])
    assert np.all(np.abs(bucket_hours(buckets) - durations) <= ALPHA * durations + 1e-9)
    assert np.all(GAMMA ** (buckets - 1) < durations * 60)
    assert np.all(durations * 60 <= GAMMA**buckets)
    assert bucket_hours(np.array([bucket_of(0.01)]))[0] == 0


def test_api_states_the_method_and_the_bound(grid, category, api, staff):
    make_report(category, cell_centre(0, 0), section=grid[1][(0, 0)], status="resolved",
                resolved=datetime(2026, 1, 3, 12, tzinfo=UTC))  # fmt: skip
    meta = api.get("/api/v1/analytics/rates/", {"level": "section"}).json()["meta"]
    assert meta["method"] == "rollup"
    assert meta["percentile_bound"]["median_hours_to_resolve"].startswith("within 2%")
    exact = api.get("/api/v1/analytics/rates/", {"level": "section", "percentiles": "exact"})
    props = {f["properties"]["pcode"]: f["properties"] for f in exact.json()["features"]}
    assert exact.json()["meta"]["method"] == "exact"
    assert props["ZZ-0-0"]["median_hours_to_resolve"] == 48.0
    public = api.get("/api/v1/analytics/public/rates/", {"level": "section"}).json()["meta"]
    assert public["method"] == "rollup"
    bad = api.get("/api/v1/analytics/rates/", {"level": "section", "percentiles": "roughly"})
    assert bad.status_code == 400 and "percentiles" in bad.json()["fields"]
