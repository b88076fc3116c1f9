"""The least-privilege holes of issue #9, each closed at the shared mechanism: layer and
raster writes, the admin, hidden photos and crew plans."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from analytics.models import RasterLayer
from communes.models import Membership
from layers.models import Feature, Layer
from reports.services.workflow import report_moderate
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
RASTERS = Path(settings.KOMIN_DATA_DIR) / "rasters"


def _geojson_upload(points: dict[str, tuple[float, float]]):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ref": ref, "name": ref},
         "geometry": {"type": "Point", "coordinates": list(xy)}}
        for ref, xy in points.items()
    ]}  # fmt: skip
    return SimpleUploadedFile("d.geojson", json.dumps(doc).encode(), "application/geo+json")


@pytest.fixture
def ten_features(towns):
    layer = towns.layers["delmas"]
    Feature.objects.filter(layer=layer).delete()
    points = {f"d{n}": (f.DELMAS[0] + n * 1e-4, f.DELMAS[1]) for n in range(10)}
    for ref, xy in points.items():
        Feature.objects.create(layer=layer, geom=f"POINT({xy[0]} {xy[1]})", external_id=ref,
                               attributes={"name": ref})  # fmt: skip
    return layer, points


def test_crews_and_planners_cannot_write_layers_even_with_is_staff(towns, api, ten_features):
    """The demo crew deleted 9 of 10 features with one replace=true: no longer."""
    layer, points = ten_features
    for user in (towns.people.delmas_crew, towns.people.planner, towns.people.delmas_supervisor):
        user.is_staff = True  # what every staff account had; it grants nothing now
        user.save()
        api.force_authenticate(user)
        response = api.post(
            f"/api/v1/layers/{layer.slug}/import/",
            {"file": _geojson_upload({"d0": points["d0"]}), "id_field": "ref", "replace": "true"},
            format="multipart",
        )
        assert response.status_code == 403, user
        feature = layer.features.first()
        url = f"/api/v1/layers/{layer.slug}/features/{feature.pk}/"
        assert api.delete(url).status_code == 403
        assert api.patch(url, {"type": "Feature", "properties": {"name": "x"}}, format="json").status_code == 403  # fmt: skip
    assert layer.features.count() == 10


def test_a_replace_dry_run_says_how_many_features_it_would_delete(towns, api, ten_features):
    layer, points = ten_features
    api.force_authenticate(towns.people.delmas_gis)
    keep = {"d0": points["d0"], "new": (f.DELMAS[0], f.DELMAS[1] + 1e-4)}
    response = api.post(
        f"/api/v1/layers/{layer.slug}/import/",
        {"file": _geojson_upload(keep), "id_field": "ref", "fields": '{"name": "name"}',
         "replace": "true", "dry_run": "true"},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["deleted"], body["updated"], body["created"]) == (9, 1, 1)
    assert layer.features.count() == 10  # nothing written


def test_a_new_layer_is_imported_into_the_editors_jurisdiction_only(towns, api):
    upload = {"d0": f.DELMAS}
    api.force_authenticate(towns.people.delmas_gis)
    elsewhere = api.post("/api/v1/layers/new-pap/import/",
                         {"file": _geojson_upload(upload), "jurisdiction": "port-au-prince"},
                         format="multipart")  # fmt: skip
    national = api.post("/api/v1/layers/new-nat/import/", {"file": _geojson_upload(upload)},
                        format="multipart")  # fmt: skip
    assert (elsewhere.status_code, national.status_code) == (403, 403)
    own = api.post("/api/v1/layers/new-delmas/import/",
                   {"file": _geojson_upload(upload), "jurisdiction": "delmas"}, format="multipart")  # fmt: skip
    assert own.status_code == 201, own.json()
    assert Layer.objects.get(slug="new-delmas").jurisdiction == towns.j["delmas"]


def test_rasters_are_written_by_national_gis_editors_and_administrators_only(
    towns, api, settings, tmp_path
):
    settings.KOMIN_RASTER_DIR = tmp_path / "rasters"

    def upload():
        with open(RASTERS / "slope.tif", "rb") as handle:
            return api.post("/api/v1/analytics/rasters/", {"file": handle, "title": "Slope"},
                            format="multipart")  # fmt: skip

    for user in (towns.people.delmas_crew, towns.people.planner, towns.people.delmas_gis):
        api.force_authenticate(user)
        assert upload().status_code == 403, user
    api.force_authenticate(towns.people.gis)
    assert upload().status_code == 201
    slug = RasterLayer.objects.get().slug
    api.force_authenticate(towns.people.planner)
    assert api.get(f"/api/v1/analytics/rasters/{slug}/").status_code == 200  # reading is fine
    assert api.delete(f"/api/v1/analytics/rasters/{slug}/").status_code == 403
    assert RasterLayer.objects.exists()


def test_hidden_photos_reach_only_the_teams_crew_and_the_jurisdictions_managers(
    towns, api, file_report
):
    from reports.services.photos import clean_photo

    report = file_report(where=f.DELMAS, photos=[clean_photo(f.upload(f.jpeg_with_gps()))])
    photo = report.photos.get()
    report_moderate(report_id=report.pk, actor=_actor(towns.people.delmas_supervisor),
                    hidden=True, reason="face", photo_id=photo.pk)  # fmt: skip
    url = f"/api/v1/reports/photos/{photo.pk}/"
    people = towns.people
    expected = {
        people.delmas_crew: 200, people.delmas_supervisor: 200, people.delmas_admin: 200,
        people.delmas_other_crew: 404, people.pap_crew: 404, people.pap_supervisor: 404,
        people.planner: 404, people.delmas_gis: 404, people.citizen: 404,
    }  # fmt: skip
    got = {}
    for user in expected:
        api.force_authenticate(user)
        got[user] = api.get(url).status_code
    assert got == expected


def _actor(user):
    from communes.access import actor_for

    return actor_for(user)


def test_the_crew_plan_of_another_team_is_refused(towns, api, file_report):
    file_report(where=f.DELMAS)
    params = {"day": "2026-01-05", "depot": f"{f.DELMAS[0]},{f.DELMAS[1]}"}
    own, other = towns.teams["roads-delmas"], towns.teams["roads-pap"]
    api.force_authenticate(towns.people.delmas_crew)
    plan = "/api/v1/analytics/crew-plan/"
    assert api.get(plan, {**params, "team": own.pk}).status_code == 200
    assert api.get(plan, {**params, "team": other.pk}).status_code == 403
    assert api.get(plan, {**params, "user": towns.people.pap_crew.pk}).status_code == 403
    api.force_authenticate(towns.people.pap_supervisor)
    assert api.get(plan, {**params, "team": own.pk}).status_code == 403
    assert api.get(plan, {**params, "team": other.pk}).status_code == 200
    api.force_authenticate(towns.people.delmas_supervisor)
    assert api.get(plan, {**params, "user": towns.people.delmas_crew.pk}).status_code == 200


# The admin: who may log in, which rows, which fields.


def _admin(client, user):
    client.force_login(user)
    return client


def test_crews_planners_and_citizens_cannot_log_into_the_admin(towns, client):
    people = towns.people
    for user in (people.delmas_crew, people.planner, people.citizen):
        user.is_staff = True
        user.save()
        assert _admin(client, user).get("/admin/").status_code == 302, user
    for user in (people.delmas_supervisor, people.delmas_gis, people.delmas_admin):
        assert _admin(client, user).get("/admin/").status_code == 200, user


def test_the_admin_shows_a_supervisor_their_jurisdictions_reports_without_the_token(
    towns, client, file_report
):
    delmas, pap = file_report(where=f.DELMAS), file_report(where=f.PAP)
    _admin(client, towns.people.delmas_supervisor)
    listing = client.get("/admin/reports/report/").content.decode()
    assert delmas.reference in listing and pap.reference not in listing
    page = client.get(f"/admin/reports/report/{delmas.pk}/change/").content.decode()
    assert f.CONTACT["email"] in page and f.CONTACT["phone"] in page
    assert delmas.token not in page
    assert client.get(f"/admin/reports/report/{pap.pk}/change/").status_code == 302  # not there


def test_the_admin_never_shows_contacts_to_gis_editors_and_scopes_layers(
    towns, client, file_report
):
    delmas = file_report(where=f.DELMAS)
    Membership.objects.create(user=towns.people.delmas_gis, jurisdiction=towns.j["delmas"],
                              role="planner")  # fmt: skip
    _admin(client, towns.people.delmas_gis)
    page = client.get(f"/admin/reports/report/{delmas.pk}/change/").content.decode()
    assert delmas.reference in page
    assert f.CONTACT["email"] not in page and delmas.token not in page
    layers = client.get("/admin/layers/layer/").content.decode()
    assert "drains-delmas" in layers and "drains-national" in layers  # national: read-only
    national = towns.layers["national"]
    response = client.post(f"/admin/layers/layer/{national.pk}/change/", {"slug": "hacked"})
    assert response.status_code == 403
    assert Layer.objects.filter(slug="drains-national").exists()


def test_every_admin_page_answers_each_admin_role_without_error(towns, client):
    """Changelists and add pages of every registered model: 200 where the role holds the
    model's action, 403 elsewhere, never an error (the test client re-raises them)."""
    from django.contrib import admin

    people = towns.people
    for user in (people.delmas_supervisor, people.delmas_gis, people.delmas_admin, people.gis):
        client.force_login(user)
        for model in admin.site._registry:
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            assert client.get(base).status_code in (200, 403), (user, base)
            assert client.get(base + "add/").status_code in (200, 403), (user, base)
