"""Projects over the real Haiti boundaries, in the three town halls of
tests/communes/conftest.py (real PostGIS, real services)."""

import pytest

from communes.access import actor_for
from projects.models import FundingSource
from projects.services import project_create
from tests.communes.conftest import _quick_passwords, file_report, towns  # noqa: F401
from tests.reports import factories as f
from tests.reports.conftest import _isolated, cat  # noqa: F401


@pytest.fixture
def sources(db):
    return {
        code: FundingSource.objects.create(code=code, name=name, kind=kind)
        for code, name, kind in (
            ("commune", "Budget communal", "commune"),
            ("fgdct", "FGDCT (État)", "government"),
            ("bid", "BID", "donor"),
        )
    }


def point(xy=f.DELMAS) -> dict:
    return {"type": "Point", "coordinates": list(xy)}


@pytest.fixture
def make_project(towns, sources):  # noqa: F811
    def make(slug="route-delmas", town="delmas", geometry=None, sector="roads", **fields):
        return project_create(
            actor=actor_for(towns.people.superuser),
            jurisdiction=towns.j[town],
            slug=slug,
            geometry=geometry or point(),
            title_fr=fields.pop("title_fr", slug.replace("-", " ").title()),
            sector=sector,
            **fields,
        )

    return make
