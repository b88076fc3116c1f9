"""The sample projects of `load_demo`: clearly marked, placed, with money; idempotent."""

import io

import pytest

from projects import demo
from projects.models import FundingSource, Project

pytestmark = pytest.mark.django_db


def test_sample_projects_are_marked_placed_and_loaded_once(api, towns):
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    projects = Project.objects.all()
    assert projects.count() == len(demo.PROJECTS)
    assert all(p.sample and p.title_fr.startswith("[Exemple]") for p in projects)
    assert all(p.areas.exists() for p in projects)
    communes = {a.parent.pcode for p in projects for a in p.areas.all()}
    assert communes == {"HT0111", "HT0311"}
    money = api.get("/api/v1/projects/exemple-rue-capois/").json()["money"]
    assert float(money["spent"]) > 0 and {"HTG", "USD"} == {x["currency"] for x in money["lines"]}


def test_without_accounts_only_the_funding_sources_are_loaded(towns):
    demo.load(stdout=io.StringIO(), accounts=False)
    assert FundingSource.objects.count() == len(demo.SOURCES)
    assert not Project.objects.exists()
