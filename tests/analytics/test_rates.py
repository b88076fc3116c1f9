import csv
import io
from datetime import UTC, date, datetime

import pytest

from analytics.selectors.common import ProblemFilter
from analytics.selectors.rates import area_rates
from tests.analytics.conftest import cell_centre, make_report

pytestmark = pytest.mark.django_db
RATES = "/api/v1/analytics/rates/"
PUBLIC = "/api/v1/analytics/public/rates/"
AS_OF = datetime(2026, 1, 11, 12, tzinfo=UTC)


def day(d, h=12):
    return datetime(2026, 1, d, h, tzinfo=UTC)


@pytest.fixture
def world(grid, category):
    """ZZ-0-0: two fixed (24 h and 72 h; SLA 48 h), one open since 1 Jan, one hidden, one
    duplicate. ZZ-1-1: one open since 3 Jan, with no stored section (placed by its point)."""
    dept, cells = grid
    home = cells[(0, 0)]
    make_report(category, cell_centre(0, 0), status="resolved", resolved=day(2), section=home)
    make_report(category, cell_centre(0, 0), status="closed", resolved=day(4), section=home)
    original = make_report(category, cell_centre(0, 0), section=home)
    make_report(category, cell_centre(0, 0), section=home, hidden=True)
    make_report(category, cell_centre(0, 0), section=home, duplicate_of=original)
    make_report(category, cell_centre(1, 1), created=day(3))
    return dept, cells


def by_pcode(result):
    return {row["pcode"]: row for row in result.rows}


def test_section_rates_match_the_hand_computed_figures(world):
    rows = by_pcode(
        area_rates(
            filters=ProblemFilter(level="section", area="ZZ"), as_of=AS_OF, percentiles="exact"
        )
    )
    assert len(rows) == 9
    home = rows["ZZ-0-0"]
    assert home["reports"] == 3  # hidden and duplicate are not separate problems
    assert float(home["reports_per_1000"]) == 3.0
    assert home["open_backlog"] == 1
    assert float(home["backlog_median_age_days"]) == 10.0
    assert home["resolved"] == 2
    assert float(home["median_hours_to_resolve"]) == 48.0
    assert float(home["p90_hours_to_resolve"]) == pytest.approx(24 + 0.9 * 48)
    assert float(home["share_within_sla"]) == 0.5
    assert rows["ZZ-1-1"]["reports"] == 1  # placed by point-in-polygon
    assert float(rows["ZZ-1-1"]["backlog_oldest_age_days"]) == 8.0
    assert rows["ZZ-2-2"]["reports"] == 0 and rows["ZZ-2-2"]["share_within_sla"] is None


def test_departement_level_sums_its_sections(world):
    filters = ProblemFilter(level="departement", area="ZZ")
    row = by_pcode(area_rates(filters=filters, as_of=AS_OF, percentiles="exact"))["ZZ"]
    assert row["reports"] == 4
    assert float(row["reports_per_1000"]) == pytest.approx(4 / 9, abs=1e-3)
    assert row["open_backlog"] == 2
    assert float(row["backlog_median_age_days"]) == 9.0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"statuses": ("open",)}, {"ZZ-0-0": 1, "ZZ-1-1": 1}),
        ({"statuses": ("fixed",)}, {"ZZ-0-0": 2, "ZZ-1-1": 0}),
        ({"date_from": date(2026, 1, 2)}, {"ZZ-0-0": 0, "ZZ-1-1": 1}),
        ({"date_to": date(2026, 1, 1)}, {"ZZ-0-0": 3, "ZZ-1-1": 0}),
        ({"categories": ("pothole",)}, {"ZZ-0-0": 3, "ZZ-1-1": 1}),
    ],
)
def test_filters_narrow_the_counts(world, filters, expected):
    rows = by_pcode(area_rates(filters=ProblemFilter(level="section", area="ZZ", **filters)))
    assert {key: rows[key]["reports"] for key in expected} == expected


def test_api_returns_geojson_choropleth_data(world, api, staff):
    response = api.get(RATES, {"level": "section", "area": "ZZ"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 9
    home = next(f for f in body["features"] if f["properties"]["pcode"] == "ZZ-0-0")
    assert home["geometry"]["type"] == "MultiPolygon"
    assert home["properties"]["reports"] == 3


def test_csv_and_geopackage_downloads(world, api, staff):
    import pyogrio

    text = api.get(RATES, {"level": "section", "area": "ZZ", "format": "csv"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 9 and {"pcode", "reports", "share_within_sla"} <= set(rows[0])
    response = api.get(RATES, {"level": "section", "area": "ZZ", "format": "gpkg"})
    assert (
        response.status_code == 200
        and 'filename="rates_section.gpkg"' in response["Content-Disposition"]
    )
    path = io.BytesIO(response.content)
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == 9 and frame.geometry.notna().all()


def test_public_rates_are_open_to_everyone_and_aggregated(world, api):
    response = api.get(PUBLIC, {"level": "departement", "area": "ZZ"})
    assert response.status_code == 200
    props = response.json()["features"][0]["properties"]
    assert props["reports"] == 4
    assert "p90_hours_to_resolve" not in props and "resolved_with_sla" not in props


def test_staff_rates_refuse_anonymous_users(world, api):
    assert api.get(RATES, {"level": "section"}).status_code in (401, 403)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "province"}, "level"),
        ({"level": "section", "category": "nope"}, "category"),
        ({"level": "section", "status": "lost"}, "status"),
        ({"level": "section", "from": "2026-13-01"}, "from"),
        ({"level": "section", "from": "2026-02-01", "to": "2026-01-01"}, "to"),
        ({"level": "section", "to": "9999-12-31"}, "to"),
        ({"level": "section", "detail": "ultra"}, "detail"),
        ({"level": "section", "area": "XX99"}, "area"),
        ({"level": "departement", "area": "ZZ-0-0"}, "area"),
        ({"level": "section", "format": "xlsx"}, "format"),
    ],
)
def test_bad_parameters_are_400_naming_them(world, api, staff, params, field):
    response = api.get(RATES, params)
    assert response.status_code == 400
    assert field in response.json()["fields"]


def test_rates_run_on_the_demo_boundaries(haiti, api, staff, category):
    make_report(category, cell_centre(0, 0).__class__(-72.3364, 18.5392, srid=4326))
    body = api.get(RATES, {"level": "arrondissement"}).json()
    assert len(body["features"]) == 42
    counts = {f["properties"]["pcode"]: f["properties"]["reports"] for f in body["features"]}
    assert counts["HT011"] == 1 and sum(counts.values()) == 1


def test_rates_take_a_fixed_number_of_queries_whatever_the_areas(
    world, api, staff, django_assert_max_num_queries, settings
):
    settings.KOMIN_ANALYTICS_CACHE_SECONDS = 0  # the analysis' own queries, not the cache's
    # 8 for the analysis, 2 for the permission check (the person's memberships and teams)
    with django_assert_max_num_queries(10):
        assert len(api.get(RATES, {"level": "section"}).json()["features"]) >= 9
