"""A report goes to the jurisdiction whose area contains it, then to a team by that
jurisdiction's rules; supervisors transfer; Open311 `jurisdiction_id` selects one."""

import pytest
from django.db import connection

from communes.access import actor_for, can
from open311.keys import api_key_create
from reports import events
from reports.errors import Forbidden, Invalid
from reports.models import Category, ReportUpdate
from reports.services.workflow import report_transfer
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
BASE = "/open311/v2"


def _across_the_border(a: str, b: str, metres: float = 15) -> tuple[tuple, tuple]:
    """Two points `metres` either side of the border between communes a and b, found in
    PostGIS on the real boundaries: the middle of their shared line, moved along its normal."""
    sql = """
    WITH line AS (
        SELECT ST_LineMerge(ST_CollectionExtract(ST_Intersection(
                 ST_Boundary(x.geom), ST_Boundary(y.geom)), 2)) AS g
        FROM layers_adminarea x, layers_adminarea y WHERE x.pcode = %s AND y.pcode = %s
    ), seg AS (
        SELECT ST_GeometryN(g, 1) AS g FROM line
    ), mid AS (
        SELECT ST_LineInterpolatePoint(g, 0.5) AS p,
               ST_LineInterpolatePoint(g, 0.501) AS q FROM seg
    )
    SELECT ST_X(p), ST_Y(p), ST_X(q) - ST_X(p), ST_Y(q) - ST_Y(p) FROM mid
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [a, b])
        x, y, dx, dy = cursor.fetchone()
    norm = (dx * dx + dy * dy) ** 0.5
    step = metres / 111_000
    nx, ny = -dy / norm * step, dx / norm * step
    return (x + nx, y + ny), (x - nx, y - ny)


def test_a_report_just_across_a_commune_border_goes_to_the_neighbour(towns, file_report):
    one, two = _across_the_border("HT0111", "HT0112")
    reports = [file_report(where=one), file_report(where=two)]
    placed = {r.commune.pcode: (r.jurisdiction.slug, r.team.name) for r in reports}
    assert placed == {
        "HT0111": ("port-au-prince", "roads-pap"),
        "HT0112": ("delmas", "roads-delmas"),  # Delmas' own rule beats the national one
    }


def test_a_report_in_no_town_hall_goes_to_the_default_jurisdiction(towns, file_report):
    report = file_report(where=(-72.69, 18.24))  # Jacmel, Sud-Est: no town hall of its own
    assert report.jurisdiction.is_default and report.team.name == "triage"


def test_a_supervisor_transfers_a_report_to_another_jurisdiction(towns, file_report):
    report = file_report(where=f.DELMAS)
    people = towns.people
    with pytest.raises(Forbidden):  # not theirs to give away
        report_transfer(report_id=report.pk, actor=actor_for(people.pap_supervisor),
                        jurisdiction=towns.j["pap"], version=1)  # fmt: skip
    update = report_transfer(report_id=report.pk, actor=actor_for(people.delmas_supervisor),
                             jurisdiction=towns.j["pap"], version=1, note="their street")  # fmt: skip
    report.refresh_from_db()
    assert (report.jurisdiction.slug, report.team.name, report.version) == (
        "port-au-prince", "roads-pap", 2,
    )  # fmt: skip
    assert update.kind == ReportUpdate.Kind.TRANSFER and update.event == "transferred"
    assert "Delmas" in events.render(update.event, update.params, "fr")
    assert update.internal_note == "their street" and update.actor_role == "supervisor"
    assert can(people.pap_supervisor, "report.manage", report)
    assert not can(people.delmas_supervisor, "report.manage", report)


def test_transfer_through_the_api_and_its_errors(towns, api, file_report):
    report = file_report(where=f.DELMAS)
    url = f"/api/v1/reports/{report.reference}/transfer/"
    api.force_authenticate(towns.people.delmas_crew)
    assert api.post(url, {"jurisdiction": "cap-haitien", "version": 1}, format="json").status_code == 403  # fmt: skip
    api.force_authenticate(towns.people.delmas_supervisor)
    unknown = api.post(url, {"jurisdiction": "paris", "version": 1}, format="json")
    assert unknown.status_code == 400 and "paris" in unknown.json()["detail"]
    done = api.post(url, {"jurisdiction": "cap-haitien", "version": 1}, format="json")
    assert done.status_code == 200, done.json()
    history = api.get(f"/api/v1/reports/{report.reference}/history/").json()["updates"]
    assert history[-1]["kind"] == "transfer"


def test_a_local_category_is_offered_only_in_its_jurisdiction(towns, file_report):
    Category.objects.create(code="delmas-market", name_fr="Marché", jurisdiction=towns.j["delmas"])
    towns.cat["delmas-market"] = Category.objects.get(code="delmas-market")
    assert file_report(where=f.DELMAS, category="delmas-market").jurisdiction.slug == "delmas"
    with pytest.raises(Invalid, match="not offered"):
        file_report(where=f.CAP, category="delmas-market")


def _codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {s["service_code"] for s in response.json()}


def test_open311_jurisdiction_id_selects_the_services_and_requests(towns, api, file_report):
    Category.objects.create(code="delmas-market", name_fr="Marché", jurisdiction=towns.j["delmas"])
    Category.objects.create(code="cap-ferry", name_fr="Bac", jurisdiction=towns.j["cap"])
    national = {"pothole", "water-point-broken"}
    assert _codes(api.get(f"{BASE}/services.json", {"jurisdiction_id": "delmas.komin.ht"})) == national | {"delmas-market"}  # fmt: skip
    assert _codes(api.get(f"{BASE}/services.json")) == national | {"delmas-market", "cap-ferry"}
    assert api.get(f"{BASE}/services/cap-ferry.json", {"jurisdiction_id": "delmas.komin.ht"}).status_code == 404  # fmt: skip
    delmas, cap = file_report(where=f.DELMAS), file_report(where=f.CAP)
    listed = api.get(f"{BASE}/requests.json", {"jurisdiction_id": "cap-haitien.komin.ht"}).json()
    assert [r["service_request_id"] for r in listed] == [cap.reference]
    assert delmas.reference not in str(listed)


def test_open311_unknown_jurisdiction_is_404_in_the_specifications_format(towns, api):
    for fmt in ("json", "xml"):
        response = api.get(f"{BASE}/services.{fmt}", {"jurisdiction_id": "gonaives.komin.ht"})
        assert response.status_code == 404
        assert b"gonaives.komin.ht" in response.content
    assert api.get(f"{BASE}/services.json").json()  # the whole service without an id


def test_an_open311_post_to_one_jurisdiction_must_lie_in_it(towns, api):
    key = api_key_create(name="app")[1]
    body = {"api_key": key, "service_code": "pothole", "attribute[size]": "large",
            "jurisdiction_id": "delmas.komin.ht"}  # fmt: skip
    outside = api.post(f"{BASE}/requests.json", {**body, "lat": f.CAP[1], "long": f.CAP[0]})
    assert outside.status_code == 400 and "outside delmas.komin.ht" in outside.content.decode()
    inside = api.post(f"{BASE}/requests.json", {**body, "lat": f.DELMAS[1], "long": f.DELMAS[0]})
    assert inside.status_code == 201, inside.content
