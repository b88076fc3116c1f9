"""Scoping costs no query per row: the lists of jobs (own / every one) and of Open311
requests of one town hall cost as many queries for many rows as for a few (reports and
layers: tests/communes/test_access.py)."""

import pytest

from jobs.models import Job
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def _jobs(user, n):
    Job.objects.bulk_create(Job(kind="selftest", params={}, created_by=user) for _ in range(n))


@pytest.mark.parametrize("who", ["delmas_admin", "superuser"])
def test_job_lists_cost_the_same_queries_for_2_or_22_jobs(
    towns, api, django_assert_max_num_queries, who
):
    user = getattr(towns.people, who)
    other = towns.people.pap_admin
    api.force_authenticate(user)
    _jobs(user, 2)
    _jobs(other, 2)
    with django_assert_max_num_queries(10) as few:
        assert api.get("/api/v1/jobs/").status_code == 200
    _jobs(user, 20)
    _jobs(other, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        jobs = api.get("/api/v1/jobs/").json()["jobs"]
    # A town hall's administrator sees their own jobs; a superuser every one.
    assert len(jobs) == (22 if who == "delmas_admin" else 44)


def test_open311_requests_of_one_town_hall_cost_the_same_queries_for_3_or_13(
    towns, file_report, api, django_assert_max_num_queries, settings
):
    settings.KOMIN_RATE_OPEN311_CLIENT = ""
    url = "/open311/v2/requests.json"
    query = {"jurisdiction_id": "delmas.komin.ht", "page_size": 50}
    for where in (f.DELMAS, f.DELMAS, f.DELMAS, f.CAP):
        file_report(where=where)
    with django_assert_max_num_queries(12) as few:
        assert len(api.get(url, query).json()) == 3
    for _ in range(10):
        file_report(where=f.DELMAS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(api.get(url, query).json()) == 13
