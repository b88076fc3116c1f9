"""The money arithmetic, checked against an independent calculation in Python's Decimal:
USD lines converted at their own rate, a project's money shared equally between the
sections it touches (found here by the ORM on the full polygons, not by the service's
SQL), totals per area, sector and funding source, and per resident / per 1,000."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from communes.access import actor_for
from layers.models import AdminArea
from layers.selectors.generations import current_generation_id
from projects.models import BudgetLine
from projects.services import budget_line_save
from tests.projects.conftest import point
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
D = Decimal
CENT = D("0.01")
ROAD = {"type": "LineString", "coordinates": [list(f.DELMAS), list(f.PAP)]}
# (project, year, source, currency, planned, committed, spent, rate)
LINES = [
    ("road", 2025, "commune", "HTG", "1000000.00", "750000.00", "500000.10", None),
    ("road", 2025, "bid", "USD", "20000.00", "15000.00", "12345.67", "131.2575"),
    ("road", 2026, "bid", "USD", "10000.00", "0.00", "0.00", "132.0100"),
    ("water", 2025, "fgdct", "HTG", "333333.33", "333333.33", "111111.11", None),
    ("school", 2025, "commune", "USD", "7777.77", "7000.00", "3333.33", "130.9999"),
]


def r2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture
def books(towns, make_project):
    projects = {
        "road": make_project(slug="road", geometry=ROAD),
        "water": make_project(slug="water", sector="water", geometry=point(f.DELMAS)),
        "school": make_project(slug="school", sector="schools", town="cap", geometry=point(f.CAP)),
    }
    admin = actor_for(towns.people.superuser)
    for key, year, source, currency, planned, committed, spent, rate in LINES:
        budget_line_save(
            actor=admin, project_id=projects[key].pk, year=year, funding_source=source,
            currency=currency, planned=D(planned), committed=D(committed), spent=D(spent),
            exchange_rate=D(rate) if rate else None,
            rate_date=f"{year}-01-15" if rate else None,
        )  # fmt: skip
    return projects


def htg(line, kind: str) -> Decimal:
    amount = D(line[{"planned": 4, "committed": 5, "spent": 6}[kind]])
    return r2(amount * D(line[7])) if line[7] else amount


def expected_by_section(projects) -> dict[str, dict[str, Decimal]]:
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(D))
    for key, project in projects.items():
        sections = AdminArea.objects.filter(
            generation_id=current_generation_id(), level="section", geom__intersects=project.geom
        ).values_list("pcode", flat=True)
        for kind in ("planned", "committed", "spent"):
            whole = sum((htg(line, kind) for line in LINES if line[0] == key), D(0))
            for pcode in sections:
                totals[pcode][kind] += whole / len(sections)
    return totals


def test_totals_per_section_share_each_project_between_its_sections(api, books):
    rows = api.get("/api/v1/projects/money/", {"by": "area", "level": "section"}).json()
    got = {row["pcode"]: row for row in rows["results"]}
    expected = expected_by_section(books)
    assert set(got) == set(expected)
    population = dict(
        AdminArea.objects.filter(pcode__in=got, generation_id=current_generation_id()).values_list(
            "pcode", "population"
        )
    )
    for pcode, sums in expected.items():
        for kind in ("planned", "committed", "spent"):
            assert D(got[pcode][kind]) == r2(sums[kind]), (pcode, kind)
        people = population[pcode]
        assert D(got[pcode]["spent_per_resident"]) == r2(sums["spent"] / people)
        assert D(got[pcode]["spent_per_1000"]) == r2(sums["spent"] * 1000 / people)
        assert D(got[pcode]["planned_per_1000"]) == r2(sums["planned"] * 1000 / people)
    # Shared, not copied: the sections add up to the whole (to the centime per section).
    all_spent = sum(htg(line, "spent") for line in LINES)
    assert abs(sum(D(r["spent"]) for r in got.values()) - all_spent) <= CENT * len(got)


def test_totals_per_commune_gather_their_sections_shares(api, books):
    rows = api.get("/api/v1/projects/money/", {"level": "commune"}).json()["results"]
    by_section = expected_by_section(books)
    parents = dict(AdminArea.objects.filter(pcode__in=by_section, generation_id=current_generation_id())
                   .values_list("pcode", "parent_pcode"))  # fmt: skip
    expected = defaultdict(D)
    for pcode, sums in by_section.items():
        expected[parents[pcode]] += sums["planned"]
    assert {r["pcode"]: D(r["planned"]) for r in rows} == {k: r2(v) for k, v in expected.items()}


@pytest.mark.parametrize(("by", "index"), [("sector", None), ("source", 2)])
def test_totals_per_sector_and_per_funding_source(api, books, by, index):
    sector_of = {"road": "roads", "water": "water", "school": "schools"}
    expected = defaultdict(lambda: defaultdict(D))
    for line in LINES:
        key = sector_of[line[0]] if by == "sector" else line[index]
        for kind in ("planned", "committed", "spent"):
            expected[key][kind] += htg(line, kind)
    rows = api.get("/api/v1/projects/money/", {"by": by}).json()["results"]
    got = {r["key"]: {k: D(r[k]) for k in ("planned", "committed", "spent")} for r in rows}
    assert got == {k: dict(v) for k, v in expected.items()}


def test_a_year_and_a_jurisdiction_narrow_the_totals(api, books):
    rows = api.get("/api/v1/projects/money/",
                   {"by": "source", "year": 2026, "jurisdiction": "delmas"}).json()["results"]  # fmt: skip
    assert [(r["key"], D(r["planned"])) for r in rows] == [
        ("bid", r2(D("10000.00") * D("132.0100")))
    ]


def test_the_project_page_adds_its_lines_in_htg(api, books):
    money = api.get("/api/v1/projects/road/").json()["money"]
    road = [line for line in LINES if line[0] == "road"]
    assert D(money["spent"]) == sum(htg(line, "spent") for line in road)
    assert {line["currency"] for line in money["lines"]} == {"HTG", "USD"}


def test_a_usd_line_needs_its_rate_and_date_and_amounts_are_not_negative(api, towns, books):
    api.force_authenticate(towns.people.delmas_planner)
    url = "/api/v1/projects/road/budget-lines/"
    no_rate = api.post(url, {"year": 2027, "funding_source": "bid", "currency": "USD",
                             "planned": "10.00"}, format="json")  # fmt: skip
    assert no_rate.status_code == 400 and "rate" in no_rate.json()["detail"]
    negative = api.post(
        url, {"year": 2027, "funding_source": "commune", "spent": "-1"}, format="json"
    )
    assert negative.status_code == 400 and "spent" in negative.json()["fields"]
    unknown = api.post(url, {"year": 2027, "funding_source": "nobody"}, format="json")
    assert unknown.status_code == 400 and "nobody" in unknown.json()["detail"]
    assert not BudgetLine.objects.filter(year=2027).exists()
