"""Gi* on the real 570 sections of Haiti, where most sections have no report at all."""

import pytest
from django.contrib.gis.geos import Point

from analytics.selectors.common import ProblemFilter
from analytics.selectors.hotspots import gi_star
from analytics.services.weights import contiguity
from layers.models import AdminArea
from layers.selectors.generations import current_generation_id
from tests.analytics.conftest import make_report

pytestmark = pytest.mark.django_db

# A few scattered reports, far apart: Jacmel, Les Cayes, Gonaïves, Hinche, Port-de-Paix.
SCATTERED = [(-72.535, 18.235), (-73.75, 18.195), (-72.69, 19.45), (-72.015, 19.145),
             (-72.83, 19.94)]  # fmt: skip


def _sections():
    return AdminArea.objects.filter(level="section", generation_id=current_generation_id())


def test_sparse_reports_do_not_make_every_empty_section_a_cold_spot(haiti, category):
    for lon, lat in SCATTERED:
        make_report(category, Point(lon, lat, srid=4326))
    result = gi_star(filters=ProblemFilter(level="section"), value="reports", permutations=199)
    assert len(result.rows) == _sections().count() >= 560
    # The old statistic (ties counted as "more extreme" on the low side, no FDR) flagged
    # some 545 of these 570 sections as significant cold spots at z ≈ -0.2.
    assert result.meta["cold"] == 0
    assert result.meta["hot"] == 0
    assert {row["flag"] for row in result.rows} == {"not_significant"}


def test_a_planted_cluster_of_reports_is_found_as_a_hot_spot(haiti, category):
    centre = _sections().get(pcode="HT0111-01")  # a Port-au-Prince section
    planted = list(_sections().filter(geom__touches=centre.geom).values_list("pcode", flat=True))
    planted.append(centre.pcode)
    for area in _sections().filter(pcode__in=planted):
        inside = area.geom.point_on_surface
        for _ in range(8):
            make_report(category, inside)
    for lon, lat in SCATTERED:
        make_report(category, Point(lon, lat, srid=4326))
    result = gi_star(filters=ProblemFilter(level="section"), value="reports", permutations=199)
    hot = {row["pcode"] for row in result.rows if row["flag"] == "hot"}
    assert centre.pcode in hot
    # Gi* sums each neighbourhood: hot spots are the planted sections or touch them.
    neighbours = contiguity("section")
    near = set(planted) | {n for p in planted for n in neighbours[p]}
    assert len(hot) >= len(planted) - 1 and hot <= near
    assert result.meta["cold"] == 0
    row = next(r for r in result.rows if r["pcode"] == centre.pcode)
    assert row["q_value"] <= 0.05 and row["p_value"] <= row["q_value"]
