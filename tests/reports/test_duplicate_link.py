"""Marking a report "duplicate" links it to its original: without one it is refused,
with one it is a merge (status, link, supports and history)."""

import pytest

from reports.models import Report
from tests.reports import factories as f
from tests.reports.test_api import login

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


@pytest.fixture
def pair(cat, make_report):
    original = make_report()
    copy = make_report(where=(f.PAP[0] + 0.0001, f.PAP[1]))
    return original, copy


def test_a_duplicate_without_its_original_is_refused_and_nothing_changes(api, pair, people):
    _, copy = pair
    response = login(api, people["supervisor"]).post(
        f"{URL}{copy.reference}/transition/", {"status": "duplicate", "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "duplicate_of" in response.json()["fields"]
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id, copy.version) == ("submitted", None, 1)


def test_marking_a_duplicate_with_its_original_merges_it(api, pair, people):
    original, copy = pair
    response = login(api, people["supervisor"]).post(
        f"{URL}{copy.reference}/transition/",
        {"status": "duplicate", "version": 1, "duplicate_of": original.reference},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["duplicate_of"] == original.reference
    copy.refresh_from_db(), original.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == ("duplicate", original.pk)
    assert original.support_count == 1
    history = api.get(f"{URL}{original.reference}/history/", {"lang": "en"}).json()["updates"]
    assert history[-1]["event_text"] == f"{copy.reference} merged into this report."


def test_an_unknown_original_is_400_and_a_crew_may_not_merge(api, pair, people):
    original, copy = pair
    body = {"status": "duplicate", "version": 1, "duplicate_of": "KOM-NOPE"}
    response = login(api, people["supervisor"]).post(
        f"{URL}{copy.reference}/transition/", body, format="json"
    )
    assert response.status_code == 400 and "duplicate_of" in response.json()["fields"]
    body["duplicate_of"] = original.reference
    response = login(api, people["crew"]).post(
        f"{URL}{copy.reference}/transition/", body, format="json"
    )
    assert response.status_code == 403
    assert Report.objects.get(pk=copy.pk).status == "submitted"
