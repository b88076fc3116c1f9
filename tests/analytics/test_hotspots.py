import math

import numpy as np
import pytest
import shapely
from django.contrib.gis.geos import Point
from pyproj import Transformer

from analytics.models import SpatialWeights
from analytics.selectors.common import ProblemFilter
from analytics.selectors.hotspots import gi_star
from reports.models import Category
from tests.analytics.conftest import X0, Y0, cell_centre, make_report

pytestmark = pytest.mark.django_db
CLUSTERS = "/api/v1/analytics/hotspots/clusters/"
GI = "/api/v1/analytics/hotspots/gi-star/"
DEG = 0.0001  # about 11 m


@pytest.fixture
def clustered(grid, category):
    """Six reports within ~20 m in ZZ-0-0 (4 potholes, 2 lights), three in a right
    triangle of ~11 m legs in ZZ-2-2, one alone in ZZ-1-1."""
    light = Category.objects.create(code="light", name_fr="Lampadaire")
    x, y = X0 + 0.05, Y0 + 0.05
    for i, cat in enumerate([category] * 4 + [light] * 2):
        make_report(cat, Point(x + DEG * (i % 2), y + DEG * (i // 2), srid=4326))
    x2, y2 = X0 + 0.25, Y0 + 0.25
    triangle = [(x2, y2), (x2 + DEG, y2), (x2, y2 + DEG)]
    for lon, lat in triangle:
        make_report(light, Point(lon, lat, srid=4326))
    make_report(category, cell_centre(1, 1))
    return triangle


def test_dbscan_finds_two_clusters_with_their_dominant_category(clustered, api, staff):
    response = api.get(CLUSTERS, {"level": "section", "area": "ZZ", "distance": 50, "min_size": 3})
    assert response.status_code == 200
    body = response.json()
    sizes = [f["properties"]["reports"] for f in body["features"]]
    assert sizes == [6, 3]
    first, second = (f["properties"] for f in body["features"])
    assert first["dominant_category"] == "pothole"
    assert first["dominant_share"] == pytest.approx(4 / 6, abs=1e-4)
    assert first["categories"] == {"light": 2, "pothole": 4}
    assert second["dominant_category"] == "light"
    assert body["meta"]["noise"] == 1
    assert all(f["geometry"]["type"] == "Polygon" for f in body["features"])


def test_cluster_hull_area_matches_an_independent_projection(clustered, api, staff):
    body = api.get(CLUSTERS, {"area": "ZZ", "distance": 50, "min_size": 3}).json()
    to_utm = Transformer.from_crs(4326, 32618, always_xy=True)
    triangle = shapely.Polygon([to_utm.transform(x, y) for x, y in clustered])
    assert body["features"][1]["properties"]["area_m2"] == pytest.approx(triangle.area, rel=1e-3)


def test_a_smaller_distance_splits_everything_into_noise(clustered, api, staff):
    body = api.get(CLUSTERS, {"area": "ZZ", "distance": 5, "min_size": 3}).json()
    assert body["features"] == [] and body["meta"]["clusters"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [({"distance": -5}, "distance"), ({"min_size": 1}, "min_size"), ({"distance": "far"}, "distance"),
     ({"bbox": "1,2,3"}, "bbox")],
)  # fmt: skip
def test_bad_cluster_parameters_are_400(clustered, api, staff, params, field):
    response = api.get(CLUSTERS, params)
    assert response.status_code == 400 and field in response.json()["fields"]


COUNTS = {(1, 1): 5, (1, 2): 6, (2, 1): 7, (2, 2): 9}


@pytest.fixture
def counted(grid, category):
    for (row, col), count in COUNTS.items():
        for _ in range(count):
            make_report(category, cell_centre(row, col))
    return grid


def analytical_gi_star(values: dict, neighbours: dict) -> dict:
    """Getis & Ord (1992) Gi* with binary weights, the focal area included."""
    x = np.array(list(values.values()), dtype=float)
    n, mean = len(x), x.mean()
    s = math.sqrt((x**2).mean() - mean**2)
    out = {}
    for key in values:
        members = [key, *neighbours[key]]
        w = len(members)
        total = sum(values[m] for m in members)
        spread = s * math.sqrt((n * w - w**2) / (n - 1))
        out[key] = (total - mean * w) / spread if spread else math.nan
    return out


def queen(row, col):
    return [f"ZZ-{r}-{c}" for r in range(row - 1, row + 2) for c in range(col - 1, col + 2)
            if (r, c) != (row, col) and 0 <= r < 3 and 0 <= c < 3]  # fmt: skip


def test_gi_star_z_scores_equal_the_textbook_formula(counted):
    result = gi_star(filters=ProblemFilter(level="section", area="ZZ"), value="reports")
    values = {f"ZZ-{r}-{c}": COUNTS.get((r, c), 0) for r in range(3) for c in range(3)}
    expected = analytical_gi_star(
        values, {f"ZZ-{r}-{c}": queen(r, c) for r in range(3) for c in range(3)}
    )
    got = {row["pcode"]: row["gi_z"] for row in result.rows}
    # The centre's neighbourhood is the whole grid: no variance, no statistic.
    assert got.pop("ZZ-1-1") is None and math.isnan(expected.pop("ZZ-1-1"))
    assert got == pytest.approx(expected, abs=1e-5)
    assert SpatialWeights.objects.get(level="section").neighbours["ZZ-1-1"] == sorted(queen(1, 1))


def test_gi_star_flags_the_high_corner_hot_with_a_seeded_p_value(counted, api, staff):
    params = {"level": "section", "area": "ZZ", "value": "reports", "seed": 7}
    first = api.get(GI, params).json()
    again = api.get(GI, params).json()
    rows = {f["properties"]["pcode"]: f["properties"] for f in first["features"]}
    assert rows["ZZ-2-2"]["flag"] == "hot"
    # Only 1 of the C(8,3) = 56 neighbour draws is as extreme: two-sided, p close to 2/56.
    assert rows["ZZ-2-2"]["p_sim"] == pytest.approx(2 / 56, abs=0.024)
    # The flag comes from the exact test: all 27 reports in 4 of the 9 areas.
    assert rows["ZZ-2-2"]["p_value"] == pytest.approx(2 * (4 / 9) ** 27, rel=1e-6)
    assert rows["ZZ-0-0"]["flag"] in ("cold", "not_significant")
    assert [f["properties"]["p_sim"] for f in first["features"]] == [
        f["properties"]["p_sim"] for f in again["features"]
    ]


def test_gi_star_rates_use_population(counted):
    result = gi_star(filters=ProblemFilter(level="section", area="ZZ"), value="per_1000")
    row = next(r for r in result.rows if r["pcode"] == "ZZ-2-2")
    assert row["value"] == 9.0  # 9 reports / 1,000 residents


def test_gi_star_on_the_demo_sections_of_a_departement(haiti, api, staff, category):
    for lon, lat in [(-72.3364, 18.5392), (-72.34, 18.54), (-72.30, 18.55)]:
        make_report(category, Point(lon, lat, srid=4326))
    body = api.get(GI, {"level": "section", "area": "HT01", "value": "reports"}).json()
    assert len(body["features"]) > 50
    assert {f["properties"]["flag"] for f in body["features"]} <= {"hot", "cold", "not_significant"}
    assert body["meta"]["hot"] >= 1


MORAN = "/api/v1/analytics/hotspots/local-moran/"


def test_local_moran_equals_anselins_formula_and_finds_the_high_high_corner(counted, api, staff):
    body = api.get(MORAN, {"level": "section", "area": "ZZ", "value": "reports", "seed": 3}).json()
    rows = {f["properties"]["pcode"]: f["properties"] for f in body["features"]}
    values = {f"ZZ-{r}-{c}": COUNTS.get((r, c), 0) for r in range(3) for c in range(3)}
    x = np.array(list(values.values()), dtype=float)
    z = dict(zip(values, x - x.mean(), strict=True))
    total = sum(v**2 for v in z.values())
    for key in values:
        lag = sum(z[n] for n in queen(*map(int, key.split("-")[1:]))) / len(
            queen(*map(int, key.split("-")[1:]))
        )
        assert rows[key]["local_i"] == pytest.approx(
            (len(values) - 1) * z[key] * lag / total, abs=1e-5
        )
    assert rows["ZZ-2-2"]["quadrant"] == "high-high"
    assert rows["ZZ-0-0"]["quadrant"] == "low-low"
    again = api.get(MORAN, {"level": "section", "area": "ZZ", "value": "reports", "seed": 3}).json()
    assert [f["properties"]["p_sim"] for f in again["features"]] == [
        f["properties"]["p_sim"] for f in body["features"]
    ]


def test_local_moran_refuses_an_unknown_level(api, staff):
    response = api.get(MORAN, {"level": "galaxy"})
    assert response.status_code == 400 and "level" in response.json()["fields"]


def test_local_moran_flags_on_benjamini_hochberg_q_values(haiti, api, staff, category):
    for lon, lat in [(-72.3364, 18.5392), (-72.34, 18.54), (-72.30, 18.55)]:
        make_report(category, Point(lon, lat, srid=4326))
    body = api.get(MORAN, {"level": "section", "area": "HT01", "value": "reports"}).json()
    assert body["meta"]["correction"] == "benjamini-hochberg"
    rows = [f["properties"] for f in body["features"] if f["properties"]["p_sim"] is not None]
    assert len(rows) > 50
    p = np.array([row["p_sim"] for row in rows])
    m = len(p)
    order = np.argsort(p, kind="stable")
    expected = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    assert [rows[i]["q_value"] for i in order] == pytest.approx(np.minimum(1, expected), rel=1e-4)
    for row in rows:
        assert (row["flag"] != "not_significant") == (row["q_value"] <= 0.05)
    # Empty sections among empty neighbours tie with their permutations: never "low-low".
    empty = [r for r in rows if r["reports"] == 0 and r["quadrant"] == "low-low"]
    assert empty and all(r["flag"] == "not_significant" for r in empty)
