"""The duplicate check where many open reports pile up on one spot: it reads a bounded
number of candidates from the index, answers the nearest in true metres, and leaves the
caller's transaction as it found it (reports_duplicate_candidates, migration 0011)."""

import pytest
from django.db import connection, transaction

from layers.geometry import box_around
from reports.models import Report
from reports.selectors.reports import OPEN, nearby_open
from reports.workflow import Status
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
METRE = 1 / 111_320  # a degree of latitude is ~111.3 km


def pile(template: Report, count: int, where: tuple[float, float], tag: str) -> None:
    """`count` copies of an open report on one point, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO reports_report
                (reference, token, category_id, jurisdiction_id, location, address,
                 description, answers, status, priority, support_count, hidden,
                 hidden_reason, reporter_name, reporter_email, reporter_phone, source,
                 media_url, language, created_at, updated_at, version)
            SELECT %s || g, 'pile-token-' || %s || g, category_id, jurisdiction_id,
                   ST_SetSRID(ST_MakePoint(%s, %s), 4326), '', 'pile', answers, status,
                   priority, 0, false, '', '', '', '', source, '', language, created_at,
                   updated_at, 1
            FROM reports_report, generate_series(1, %s) g
            WHERE id = %s
            """,
            [tag, tag, where[0], where[1], count, template.pk],
        )


def test_a_pile_on_one_spot_yields_the_nearest_in_metres_from_a_bounded_read(cat, make_report):
    lon, lat = f.PAP
    nearest = make_report(where=(lon, lat + 2 * METRE))  # ~2 m north
    second = make_report(where=(lon, lat - 5 * METRE))  # ~5 m south
    outside = make_report(where=(lon, lat + 80 * METRE))  # beyond the 50 m radius and box
    closed = make_report(where=(lon, lat + 1 * METRE))
    Report.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    pile(nearest, 300, (lon + 10 * METRE / 0.948, lat), "PILE-")  # 300 open reports ~10 m east
    water = make_report(category="water", where=(lon, lat + 1 * METRE))
    pile(water, 300, (lon, lat + 1 * METRE), "WATER-")  # and 300 of another category ~1 m north

    found = nearby_open(category=cat["pothole"], lon=lon, lat=lat, limit=5)

    assert [row["reference"] for row in found[:2]] == [nearest.reference, second.reference]
    assert len(found) == 5 and all(row["reference"].startswith("PILE-") for row in found[2:])
    assert outside.reference not in {row["reference"] for row in found}
    assert closed.reference not in {row["reference"] for row in found}
    assert {row["category_code"] for row in found} == {"pothole"}

    with connection.cursor() as cursor:  # the candidates read: at most four times the limit
        cursor.execute(
            "SELECT count(*) FROM reports_duplicate_candidates(%s, %s, %s, %s, %s, %s, %s, %s,"
            " NULL, 20)",
            [
                cat["pothole"].pk,
                list(OPEN),
                lon,
                lat,
                *box_around(lon, lat, cat["pothole"].duplicate_radius_m).values(),
            ],
        )
        assert cursor.fetchone()[0] == 20


def test_the_check_leaves_the_transaction_settings_as_they_were(cat, make_report):
    make_report()
    with transaction.atomic(), connection.cursor() as cursor:
        nearby_open(category=cat["pothole"], lon=f.PAP[0], lat=f.PAP[1])
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW plan_cache_mode")  # the function's generic plan, its own
        assert cursor.fetchone()[0] == "auto"
