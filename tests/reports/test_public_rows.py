"""The possible duplicates of a new report (and /nearby/) are read in one query as rows
(reports/sql/nearby_open.sql) and shaped by output.report_public_row: they must say
exactly what report_public says of the same report, in every language."""

import pytest

from reports.api.output import report_public, report_public_row
from reports.models import Report, ReportPhoto
from reports.selectors.reports import nearby_open
from reports.services.photos import clean_photo
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def photo(name: str):
    return clean_photo(f.upload(f.png_bytes(), name, "image/png"))


@pytest.mark.parametrize("lang", ["fr", "ht", "en"])
def test_rows_say_what_report_public_says(make_report, cat, lang, settings):
    settings.KOMIN_REPORT_MAX_PHOTOS = 3
    with_photos = make_report(photos=[photo("a.png"), photo("b.png"), photo("c.png")])
    ReportPhoto.objects.filter(report=with_photos).order_by("id").first().delete()
    hidden = ReportPhoto.objects.filter(report=with_photos).order_by("id").last()
    ReportPhoto.objects.filter(pk=hidden.pk).update(hidden=True, hidden_reason="a face")
    plain = make_report(where=(f.PAP[0] + 0.0001, f.PAP[1]), contact=False)
    Report.objects.filter(pk=plain.pk).update(team=None, support_count=4, priority=2)

    rows = nearby_open(category=cat["pothole"], lon=f.PAP[0], lat=f.PAP[1])

    assert [row["reference"] for row in rows] == [with_photos.reference, plain.reference]
    for row in rows:
        report = Report.objects.get(reference=row["reference"])
        assert report_public_row(row, lang) == report_public(report, lang)
    shown = report_public_row(rows[0], lang)["photos"]
    assert len(shown) == 1 and shown[0]["id"] != hidden.pk  # the hidden one stays hidden


def test_the_box_around_the_point_keeps_every_report_within_the_radius(make_report, cat):
    """The index box must not cut the circle: a report just inside the radius to the
    north, east, south and west is found; one just outside is not."""
    radius = cat["pothole"].duplicate_radius_m
    lon, lat = f.PAP
    per_degree_lat = 110_574.0  # at the equator, the fewest metres a degree
    inside = radius * 0.97 / per_degree_lat
    found = [make_report(where=where) for where in ((lon, lat + inside), (lon, lat - inside))]
    east = make_report(where=(lon + 0.97 * radius / (111_320.0 * 0.9479), lat))  # cos(18.54°)
    outside = make_report(where=(lon, lat + radius * 1.05 / per_degree_lat))
    references = {
        row["reference"] for row in nearby_open(category=cat["pothole"], lon=lon, lat=lat)
    }
    assert {r.reference for r in [*found, east]} <= references
    assert outside.reference not in references


def test_the_new_report_is_not_among_its_own_duplicates(make_report, cat):
    first = make_report()
    second = make_report()
    rows = nearby_open(category=cat["pothole"], lon=f.PAP[0], lat=f.PAP[1], exclude=second.pk)
    assert [row["reference"] for row in rows] == [first.reference]
