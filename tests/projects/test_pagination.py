"""The public list of projects comes in pages: a bounded `limit`, `next`/`previous`
links that keep the filters, a stable order (by slug) in which every project appears
once, the money of each row in one query per page."""

from decimal import Decimal

import pytest

from communes.access import actor_for
from projects.services import budget_line_save

pytestmark = pytest.mark.django_db
URL = "/api/v1/projects/"


@pytest.fixture
def seven(make_project):
    return [make_project(slug=f"p-{i}") for i in (3, 0, 6, 1, 5, 2, 4)]


def test_pages_follow_next_links_in_a_stable_order(api, seven, settings):
    settings.KOMIN_PROJECTS_PAGE = "3"
    seen, url, pages = [], URL + "?sector=roads", 0
    while url:
        page = api.get(url).json()
        assert page["count"] == 7 and len(page["results"]) <= 3
        seen += [p["slug"] for p in page["results"]]
        url, pages = page["next"], pages + 1
        assert "sector=roads" in (url or "sector=roads")
    assert seen == [f"p-{i}" for i in range(7)] and pages == 3
    last = api.get(URL + "?limit=3&offset=6").json()
    assert last["next"] is None and "offset=3" in last["previous"]
    assert api.get(URL + "?offset=100").json()["results"] == []


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "offset=-1", "limit=²"])
def test_out_of_range_pages_are_refused_naming_the_parameter(api, query):
    answer = api.get(f"{URL}?{query}")
    assert answer.status_code == 400
    assert query.split("=")[0] in answer.json()["fields"]


def test_no_page_is_longer_than_the_maximum(api, seven, settings):
    settings.KOMIN_PROJECTS_PAGE_MAX = "5"
    assert api.get(URL + "?limit=6").status_code == 400
    assert len(api.get(URL + "?limit=5").json()["results"]) == 5


def test_each_row_has_its_money_in_a_bounded_number_of_queries(
    api, towns, seven, sources, django_assert_max_num_queries
):
    budget_line_save(actor=actor_for(towns.people.superuser), project_id=seven[1].pk, year=2026,
                     funding_source="commune", planned=Decimal("1000.00"),
                     spent=Decimal("250.50"))  # fmt: skip
    with django_assert_max_num_queries(8):
        page = api.get(URL + "?limit=7").json()
    row = next(p for p in page["results"] if p["slug"] == "p-0")
    assert (row["planned_htg"], row["spent_htg"]) == ("1000.00", "250.50")
    assert next(p for p in page["results"] if p["slug"] == "p-1")["spent_htg"] == "0.00"
