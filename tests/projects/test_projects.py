"""Projects through the API: geometry at the door, the sections found by PostGIS, the
workflow as data, the public timeline with photos without EXIF, links to reports."""

import io

import pytest
from PIL import Image

from layers.models import AdminArea
from layers.selectors.generations import current_generation_id
from projects.models import Project
from reports.models import Report
from tests.projects.conftest import point
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
# A road from Delmas westward into Port-au-Prince: it crosses sections of two communes.
ROAD = {"type": "LineString", "coordinates": [list(f.DELMAS), list(f.PAP)]}


def body(**extra):
    return {"slug": "route-delmas-33", "jurisdiction": "delmas", "title_fr": "Route de Delmas 33",
            "title_ht": "Wout Dèlma 33", "sector": "roads", "geometry": point(), **extra}  # fmt: skip


def sections_touching(geom) -> set[str]:
    """Independently of the SQL of the service: the full section polygons, by the ORM."""
    return set(
        AdminArea.objects.filter(
            generation_id=current_generation_id(), level="section", geom__intersects=geom
        ).values_list("pcode", flat=True)
    )


def test_a_planner_of_the_jurisdiction_creates_a_project_placed_in_its_sections(api, towns):
    api.force_authenticate(towns.people.delmas_planner)
    response = api.post("/api/v1/projects/", body(geometry=ROAD), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    project = Project.objects.get(slug="route-delmas-33")
    found = {a["pcode"] for a in data["areas"]}
    assert found == sections_touching(project.geom)
    assert len(found) >= 2
    assert {a["commune"]["pcode"] for a in data["areas"]} >= {"HT0111", "HT0112"}
    assert data["status"] == "planned"


def test_a_collection_of_a_point_and_a_line_is_one_project(api, towns):
    api.force_authenticate(towns.people.delmas_admin)
    geometry = {"type": "GeometryCollection", "geometries": [point(f.DELMAS), ROAD]}
    response = api.post("/api/v1/projects/", body(geometry=geometry), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["geometry"]["type"] == "GeometryCollection"


@pytest.mark.parametrize(
    ("geometry", "message"),
    [
        ({"type": "Polygon", "coordinates": [[[-72.31, 18.54], [-72.29, 18.56],
          [-72.29, 18.54], [-72.31, 18.56], [-72.31, 18.54]]]}, "invalid geometry"),
        (point(f.SEA), "outside every section"),
        ({"type": "Point", "coordinates": [-72.3, 95]}, "out of range"),
        ({"type": "Circle", "coordinates": [0, 0]}, "not a GeoJSON geometry type"),
        (None, "geometry"),
    ],
)  # fmt: skip
def test_a_bad_geometry_is_refused_by_name_and_nothing_is_written(api, towns, geometry, message):
    api.force_authenticate(towns.people.delmas_planner)
    response = api.post("/api/v1/projects/", body(geometry=geometry), format="json")
    assert response.status_code == 400
    assert message in response.json()["detail"]
    assert not Project.objects.exists()


def test_a_planner_of_another_jurisdiction_may_not_create_there(api, towns):
    api.force_authenticate(towns.people.pap_admin)
    assert api.post("/api/v1/projects/", body(), format="json").status_code == 403
    assert not Project.objects.exists()


def test_the_workflow_refuses_a_move_it_does_not_have(api, towns, make_project):
    make_project()
    api.force_authenticate(towns.people.delmas_planner)
    url = "/api/v1/projects/route-delmas/transition/"
    response = api.post(url, {"status": "completed"}, format="json")
    assert response.status_code == 400
    assert "planned to completed" in response.json()["detail"]
    assert api.post(url, {"status": "in_progress"}, format="json").status_code == 200
    data = api.get("/api/v1/projects/route-delmas/").json()
    assert data["status"] == "in_progress" and data["dates"]["actual_start"]
    assert [u["status"] for u in data["timeline"]] == ["in_progress"]


def test_timeline_photos_are_reencoded_without_exif(api, towns, make_project):
    make_project()
    api.force_authenticate(towns.people.delmas_planner)
    photo = f.upload(f.jpeg_with_gps())
    assert b"Exif" in f.jpeg_with_gps()  # the upload does carry GPS
    response = api.post(
        "/api/v1/projects/route-delmas/updates/",
        {"text": "Travaux commencés", "percent_complete": 20, "photos": [photo]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    entry = response.json()["timeline"][0]
    assert response.json()["percent_complete"] == 20
    api.force_authenticate(None)
    served = b"".join(api.get(entry["photos"][0]["url"]).streaming_content)
    image = Image.open(io.BytesIO(served))
    assert image.format == "JPEG" and not image.getexif()
    assert b"Exif" not in served


def test_linked_reports_show_the_project_and_completion_resolves_them(
    api, towns, make_project, file_report
):
    project = make_project()
    reports = [file_report(where=f.DELMAS) for _ in range(2)]
    refs = [r.reference for r in reports]
    api.force_authenticate(towns.people.delmas_planner)
    linked = api.post(f"/api/v1/projects/{project.slug}/reports/", {"reports": refs}, format="json")
    assert linked.status_code == 200, linked.json()
    assert sorted(r["reference"] for r in linked.json()["reports"]) == sorted(refs)
    assert f.CONTACT["email"] not in linked.content.decode()
    api.force_authenticate(None)
    tracking = api.get(f"/api/v1/reports/{refs[0]}/").json()
    assert [p["slug"] for p in tracking["projects"]] == [project.slug]
    # A planner may move the project but not the reports: they stay open, named.
    api.force_authenticate(towns.people.delmas_planner)
    url = f"/api/v1/projects/{project.slug}/transition/"
    api.post(url, {"status": "in_progress"}, format="json")
    done = api.post(url, {"status": "completed", "resolve_reports": True}, format="json").json()
    assert done["resolved_reports"] == [] and set(done["not_resolved_reports"]) == set(refs)
    assert set(Report.objects.values_list("status", flat=True)) == {"submitted"}


def test_an_administrator_completing_resolves_the_reports_through_their_workflow(
    api, towns, make_project, file_report
):
    project = make_project()
    Project.objects.filter(pk=project.pk).update(status="in_progress")
    reports = [file_report(where=f.DELMAS) for _ in range(2)]
    project.reports.set(reports)
    api.force_authenticate(towns.people.delmas_admin)
    url = f"/api/v1/projects/{project.slug}/transition/"
    done = api.post(url, {"status": "completed", "resolve_reports": True, "note": "Route refaite"},
                    format="json").json()  # fmt: skip
    assert sorted(done["resolved_reports"]) == sorted(r.reference for r in reports)
    for report in reports:
        report.refresh_from_db()
        assert report.status == "resolved" and report.resolved_at is not None
        update = report.updates.get(to_status="resolved")
        assert update.kind == "transition" and update.public_note == "Route refaite"
        assert update.actor == towns.people.delmas_admin
    assert done["percent_complete"] == 100


def test_reports_of_another_jurisdiction_cannot_be_linked(api, towns, make_project, file_report):
    project = make_project()
    other = file_report(where=f.CAP)
    api.force_authenticate(towns.people.delmas_planner)
    response = api.post(f"/api/v1/projects/{project.slug}/reports/",
                        {"reports": [other.reference]}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert other.reference in response.json()["detail"]


def test_the_public_list_filters_by_section_status_and_sector(api, towns, make_project):
    make_project(slug="a", geometry=ROAD)
    make_project(slug="b", sector="water", town="cap", geometry=point(f.CAP))
    cap_section = Project.objects.get(slug="b").areas.get().pcode
    listed = api.get("/api/v1/projects/", {"area": cap_section}).json()
    assert [p["slug"] for p in listed["results"]] == ["b"]
    assert [
        p["slug"] for p in api.get("/api/v1/projects/", {"sector": "roads"}).json()["results"]
    ] == ["a"]
    by_commune = api.get("/api/v1/projects/", {"area": "HT0111"}).json()["results"]
    assert [p["slug"] for p in by_commune] == ["a"]
    geojson = api.get("/api/v1/projects/geojson/", {"status": "planned"}).json()
    assert {feat["id"] for feat in geojson["features"]} == {"a", "b"}
    assert api.get("/api/v1/projects/", {"sector": "rockets"}).status_code == 400
