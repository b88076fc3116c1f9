"""The town hall's own pages for projects: administrators and planners of the commune
create and edit a project from a phone-sized form (a point as longitude/latitude or a
shape as GeoJSON), through the API's rules; others are refused per action and commune."""

import pytest

from projects.models import Project
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(client, api):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the messages below are the English ones
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")


ROAD = '{"type": "LineString", "coordinates": [[-72.301, 18.546], [-72.299, 18.548]]}'


def test_a_planner_creates_and_edits_a_project_of_their_commune(client, towns, sources):
    client.force_login(towns.people.delmas_planner)
    assert client.get("/manage/projects/").status_code == 200
    form = client.get("/manage/projects/new/").content.decode()
    assert 'value="delmas"' in form and 'value="port-au-prince"' not in form
    made = client.post("/manage/projects/new/", {
        "jurisdiction": "delmas", "slug": "drain-delmas", "title_fr": "Curage du canal",
        "sector": "drainage", "lon": str(f.DELMAS[0]), "lat": str(f.DELMAS[1]),
        "planned_start": "2027-01-05", "planned_end": "", "percent_complete": ""})  # fmt: skip
    assert made.status_code == 302 and made["Location"] == "/manage/projects/drain-delmas/"
    project = Project.objects.get(slug="drain-delmas")
    assert (
        project.geom.geom_type == "Point"
        and project.areas.filter(pcode__startswith="HT0112").exists()
    )
    page = client.get("/manage/projects/drain-delmas/").content.decode()
    assert "Curage du canal" in page and 'value="2027-01-05"' in page
    edited = client.post("/manage/projects/drain-delmas/", {
        "title_fr": "Curage du canal", "title_ht": "Netwaye kanal", "sector": "drainage",
        "percent_complete": "40", "geometry": ROAD, "planned_start": ""})  # fmt: skip
    assert edited.status_code == 302
    project.refresh_from_db()
    assert (project.title_ht, project.percent_complete, project.geom.geom_type) == (
        "Netwaye kanal", 40, "LineString")  # fmt: skip
    assert project.planned_start is None
    bad = client.post("/manage/projects/drain-delmas/", {"title_fr": "X", "percent_complete": "140",
                                                         "geometry": "{not json"})  # fmt: skip
    assert bad.status_code == 400 and "This is not GeoJSON." in bad.content.decode()
    outside = client.post("/manage/projects/drain-delmas/", {"lon": "500", "lat": "18"})
    assert outside.status_code == 400 and "field-error" in outside.content.decode()


@pytest.mark.parametrize("who", ["citizen", "delmas_supervisor", "delmas_crew", "delmas_gis"])
def test_people_without_the_action_are_refused(client, towns, who):
    client.force_login(getattr(towns.people, who))
    assert client.get("/manage/projects/").status_code == 403
    assert client.get("/manage/projects/new/").status_code == 403


def test_a_planner_of_another_commune_cannot_edit_the_project(client, towns, make_project):
    make_project(
        slug="route-cap", town="cap", geometry={"type": "Point", "coordinates": list(f.CAP)}
    )
    client.force_login(towns.people.delmas_planner)
    assert b"route-cap" not in client.get("/manage/projects/").content
    assert client.get("/manage/projects/route-cap/").status_code == 403
    assert client.post("/manage/projects/route-cap/", {"title_fr": "Pris"}).status_code == 403
    foreign = client.post("/manage/projects/new/", {"jurisdiction": "cap-haitien", "slug": "x",
                                                    "title_fr": "X", "sector": "roads",
                                                    "lon": str(f.CAP[0]), "lat": str(f.CAP[1])})  # fmt: skip
    assert foreign.status_code == 400 and not Project.objects.filter(slug="x").exists()
    assert Project.objects.get(slug="route-cap").title_fr != "Pris"
    client.force_login(towns.people.planner)  # a national planner edits anywhere
    assert client.get("/manage/projects/route-cap/").status_code == 200
