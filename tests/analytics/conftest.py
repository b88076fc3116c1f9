"""Small, hand-checkable worlds for the analytics tests, in the real PostGIS database.

The test areas are squares in the sea south-west of Haiti (around 75.3°W 17°N, in UTM
zone 18N), so they never touch the loaded Haiti boundaries."""

import itertools
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from communes.models import Membership
from communes.selectors import default_jurisdiction
from layers.models import AdminArea, AdminAreaPart, Layer
from reports.models import Category, Report

_refs = itertools.count(1)
X0, Y0 = -75.5, 17.0


def square(x: float, y: float, size: float) -> Polygon:
    return Polygon.from_bbox((x, y, x + size, y + size))


def make_area(pcode, level, polygon, *, parent=None, population=None) -> AdminArea:
    multi = MultiPolygon(polygon, srid=4326)
    area = AdminArea.objects.create(
        pcode=pcode, level=level, name_fr=f"Zone {pcode}", parent=parent,
        parent_pcode=parent.pcode if parent else "", geom=multi, geom_low=multi,
        geom_mid=multi, geom_high=multi, population=population,
    )  # fmt: skip
    AdminAreaPart.objects.create(area=area, level=level, geom=polygon)
    return area


@pytest.fixture
def grid(db):
    """A test département ZZ with a 3×3 grid of 0.1° sections ZZ-r-c (row 0 south)."""
    dept = make_area("ZZ", "departement", square(X0, Y0, 0.3), population=9000)
    cells = {}
    for row in range(3):
        for col in range(3):
            cells[(row, col)] = make_area(
                f"ZZ-{row}-{col}", "section",
                square(X0 + 0.1 * col, Y0 + 0.1 * row, 0.1), parent=dept, population=1000,
            )  # fmt: skip
    return dept, cells


def cell_centre(row: int, col: int, dx: float = 0.05, dy: float = 0.05) -> Point:
    return Point(X0 + 0.1 * col + dx, Y0 + 0.1 * row + dy, srid=4326)


@pytest.fixture
def category(db):
    return Category.objects.create(code="pothole", name_fr="Nid-de-poule", sla_hours=48)


def make_report(category, location, *, status="submitted", created=None, resolved=None,
                section=None, **extra) -> Report:  # fmt: skip
    number = next(_refs)
    return Report.objects.create(
        reference=f"T-{number}", token=f"token-{number}", category=category, location=location,
        status=status, created_at=created or datetime(2026, 1, 1, 12, tzinfo=UTC),
        resolved_at=resolved, section=section, jurisdiction=default_jurisdiction(), **extra,
    )  # fmt: skip


@pytest.fixture
def staff(db, api):
    # A national analyst: reads every analysis and manages the (national) rasters.
    user = get_user_model().objects.create_user("planner", password="x")
    for role in ("planner", "gis_editor"):
        Membership.objects.create(user=user, jurisdiction=None, role=role)
    api.force_authenticate(user)
    return user


@pytest.fixture
def raster_dir(settings, tmp_path):
    settings.KOMIN_RASTER_DIR = tmp_path / "rasters"
    return settings.KOMIN_RASTER_DIR


@pytest.fixture
def facility_layer(db):
    return Layer.objects.create(slug="wells", title="Wells")
