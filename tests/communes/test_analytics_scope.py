"""Analyses answer for the actor's territory: a Delmas planner sees Delmas, a national
planner the country; the cache and background jobs keep the two apart."""

import pytest
from rest_framework.test import APIClient

from jobs.models import Job
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
RATES = "/api/v1/analytics/rates/"


def client_of(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def filed(towns, file_report):
    """Two reports in Delmas, one in Port-au-Prince, one in Cap-Haïtien."""
    return [file_report(where=w) for w in (f.DELMAS, f.DELMAS, f.PAP, f.CAP)]


def rows_of(response) -> dict:
    assert response.status_code == 200, response.content
    return {feat["properties"]["pcode"]: feat["properties"] for feat in response.json()["features"]}


def test_a_commune_planner_gets_rates_of_their_communes_only(towns, filed):
    local = rows_of(client_of(towns.people.delmas_planner).get(RATES, {"level": "commune"}))
    national = rows_of(client_of(towns.people.planner).get(RATES, {"level": "commune"}))
    assert set(local) == {"HT0112"} and local["HT0112"]["reports"] == 2
    assert len(national) == 140
    assert national["HT0111"]["reports"] == 1 and national["HT0311"]["reports"] == 1


def test_the_same_question_is_cached_per_scope(towns, filed, settings):
    settings.KOMIN_ANALYTICS_CACHE_SECONDS = 60
    query = {"level": "departement"}
    first = rows_of(client_of(towns.people.delmas_planner).get(RATES, query))
    second = rows_of(client_of(towns.people.planner).get(RATES, query))
    # The Delmas planner's Ouest counts Delmas only; the national one all of Ouest.
    assert set(first) == {"HT01"} and first["HT01"]["reports"] == 2
    assert second["HT01"]["reports"] == 3 and second["HT03"]["reports"] == 1
    again = rows_of(client_of(towns.people.delmas_planner).get(RATES, query))
    assert again == first


def test_an_area_outside_the_territory_is_refused(towns, filed):
    response = client_of(towns.people.delmas_planner).get(RATES, {"area": "HT0311"})
    assert response.status_code == 403
    assert "HT0311" in response.json()["detail"]


def test_within_lists_only_the_territory(towns, filed):
    # A 10 km circle around the Port-au-Prince / Delmas border holds reports of both.
    query = {"point": f"{f.PAP[0]},{f.PAP[1]}", "distance": 10_000}
    url = "/api/v1/analytics/within/"
    local = client_of(towns.people.delmas_planner).get(url, query).json()
    national = client_of(towns.people.planner).get(url, query).json()
    assert local["meta"]["counts"]["reports"]["total"] == 2
    assert national["meta"]["counts"]["reports"]["total"] == 3
    communes = {
        feat["properties"]["id"]
        for feat in local["features"]
        if feat["properties"]["type"] == "area" and feat["properties"]["subtype"] == "commune"
    }
    assert communes == {"HT0112"}


def test_dbscan_counts_only_the_territory(towns, filed):
    query = {"level": "commune", "distance": 5000, "min_size": 2}
    url = "/api/v1/analytics/hotspots/clusters/"
    local = client_of(towns.people.delmas_planner).get(url, query).json()
    national = client_of(towns.people.planner).get(url, query).json()
    assert [feat["properties"]["reports"] for feat in local["features"]] == [2]
    assert [feat["properties"]["reports"] for feat in national["features"]] == [3]


def test_a_background_analysis_keeps_its_starters_scope(
    towns, filed, settings, django_capture_on_commit_callbacks
):
    settings.KOMIN_ANALYTICS_INLINE_COST = 1  # every local statistic becomes a job
    query = {"level": "commune", "permutations": 99, "value": "reports"}
    url = "/api/v1/analytics/hotspots/gi-star/"
    with django_capture_on_commit_callbacks(execute=True):  # no broker: runs inline
        response = client_of(towns.people.delmas_planner).get(url, query)
    assert response.status_code == 202, response.content
    job = Job.objects.get(pk=response.json()["id"])
    assert job.params["communes"] == ["HT0112"]
    assert job.status == "done", job.error
    assert job.result["rows"] == 1 and job.result["meta"]["communes"] == ["HT0112"]


def test_a_town_halls_default_sla_counts_where_the_category_sets_none(towns, file_report):
    from django.utils import timezone

    from analytics.selectors.common import ProblemFilter
    from analytics.selectors.rates import area_rates
    from reports.models import Category, Report

    Category.objects.filter(code="pothole").update(sla_hours=None)
    towns.j["delmas"].sla_hours = 24
    towns.j["delmas"].save()
    report = file_report(where=f.DELMAS)
    fixed = report.created_at + timezone.timedelta(hours=10)
    Report.objects.filter(pk=report.pk).update(status="resolved", resolved_at=fixed)
    rows = area_rates(filters=ProblemFilter(level="commune", communes=("HT0112",))).rows
    assert [(r["pcode"], r["resolved_with_sla"], float(r["share_within_sla"])) for r in rows] == [
        ("HT0112", 1, 1.0)
    ]


def test_a_planner_of_the_default_jurisdiction_analyses_the_communes_nobody_else_holds(towns):
    from analytics.scope import analytics_communes
    from communes.selectors import default_jurisdiction

    user = f.user("default_planner", "planner", jurisdiction=default_jurisdiction())
    communes = analytics_communes(user)
    assert len(communes) == 137 and not {"HT0111", "HT0112", "HT0311"} & set(communes)
    assert analytics_communes(towns.people.planner) is None
    assert analytics_communes(towns.people.delmas_planner) == ("HT0112",)
