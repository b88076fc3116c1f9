"""Layer imports: large uploads as jobs, zips checked before unpacking, rows in batches."""

import io
import json
import os
import zipfile

import pytest

from jobs.models import Job
from layers.imports import ImportFailed, staging
from layers.models import Feature, Layer
from layers.services.imports import ImportOptions, ImportRejected, import_file

pytestmark = pytest.mark.django_db


def points(n, *, start=0, bad_at=None):
    features = []
    for i in range(start, start + n):
        lon = 200.0 if i == bad_at else -72.3 + i * 1e-5
        features.append(
            {
                "type": "Feature",
                "properties": {"code": f"P{i}", "kind": "well"},
                "geometry": {"type": "Point", "coordinates": [lon, 18.55]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features})


@pytest.fixture
def small_batches(settings):
    settings.KOMIN_IMPORT_BATCH_ROWS = 7


def test_an_upload_over_the_inline_size_answers_202_and_the_job_imports_it(
    haiti, api, staff, every_upload_is_a_job, tmp_path, committed
):
    path = tmp_path / "wells.geojson"
    path.write_text(points(30))
    with committed():
        response = api.post(
            "/api/v1/layers/wells/import/",
            {"file": open(path, "rb"), "id_field": "code", "title": "Wells"},
            format="multipart",
        )
    assert response.status_code == 202
    assert response["Location"].endswith(f"/api/v1/jobs/{response.json()['id']}/")
    job = api.get(response["Location"]).json()
    assert (job["kind"], job["status"], job["progress"]) == ("layer-import", "done", 100)
    assert job["result"]["created"] == 30 and job["input_name"] == "wells.geojson"
    assert Feature.objects.filter(layer__slug="wells").count() == 30
    assert not list(every_upload_is_a_job.rglob("input*"))  # the upload is not kept


def test_a_bad_file_fails_its_job_with_a_message_and_no_server_path(
    haiti, api, staff, every_upload_is_a_job, tmp_path, committed
):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    with committed():
        response = api.post(
            "/api/v1/layers/broken/import/", {"file": open(path, "rb")}, format="multipart"
        )
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "failed" and "broken.geojson" in job.error
    assert "/tmp" not in job.error and str(tmp_path) not in job.error
    assert not Layer.objects.filter(slug="broken").exists()


def test_rejected_rows_fail_the_job_with_the_report(
    haiti, api, staff, every_upload_is_a_job, tmp_path, committed
):
    path = tmp_path / "wells.geojson"
    path.write_text(points(10, bad_at=4))
    with committed():
        response = api.post(
            "/api/v1/layers/wells/import/", {"file": open(path, "rb")}, format="multipart"
        )
    job = api.get(response["Location"]).json()
    assert job["status"] == "failed" and job["result"]["invalid_count"] == 1
    assert job["result"]["invalid"][0].startswith("row 5:")


def test_rows_are_read_in_batches_and_one_bad_row_in_the_last_batch_writes_nothing(
    haiti, small_batches, tmp_path
):
    path = tmp_path / "wells.geojson"
    path.write_text(points(30, bad_at=29))
    with pytest.raises(ImportRejected, match="row 30"):
        import_file(path=path, options=ImportOptions(layer="wells", id_field="code"))
    assert not Layer.objects.filter(slug="wells").exists()
    assert not Feature.objects.filter(layer__slug="wells").exists()
    path.write_text(points(30))
    report = import_file(path=path, options=ImportOptions(layer="wells", id_field="code"))
    assert report.rows == 30 and report.created == 30
    assert Layer.objects.get(slug="wells").geometry_type == "Point"


def test_a_duplicate_id_in_another_batch_is_found(haiti, small_batches, tmp_path):
    doc = json.loads(points(20))
    doc["features"][18]["properties"]["code"] = "P2"
    path = tmp_path / "wells.geojson"
    path.write_text(json.dumps(doc))
    with pytest.raises(ImportRejected, match="row 19: external id 'P2' appears twice"):
        import_file(path=path, options=ImportOptions(layer="wells", id_field="code"))


def test_progress_is_reported_per_batch(haiti, small_batches, tmp_path):
    path = tmp_path / "wells.geojson"
    path.write_text(points(30))
    seen = []

    def progress(items, *, total, desc):
        for number, item in enumerate(items, start=1):
            seen.append((number, total))
            yield item

    import_file(path=path, options=ImportOptions(layer="wells"), progress=progress)
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def stored_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.fixture
def extracted(monkeypatch):
    """The names of zip members written to disk (the real extraction still runs)."""
    names = []
    real = staging._extract

    def spy(archive, info, target, name):
        names.append(info.filename)
        return real(archive, info, target, name)

    monkeypatch.setattr(staging, "_extract", spy)
    return names


def test_a_zip_of_many_members_is_refused_before_anything_is_unpacked(
    settings, haiti, tmp_path, extracted
):
    settings.KOMIN_IMPORT_MAX_UNZIPPED_BYTES = 50 * 1024 * 1024
    members = {f"part{i}.geojson": os.urandom(100_000) for i in range(45)}  # 4.5 MB, ratio 1
    path = stored_zip(tmp_path / "parts.zip", members)
    with pytest.raises(ImportFailed, match="expected one Shapefile or one GeoJSON"):
        import_file(path=path, options=ImportOptions(layer="parts"))
    assert extracted == []


def test_only_the_gis_file_of_a_zip_is_unpacked(haiti, tmp_path, extracted):
    members = {f"notes/readme{i}.txt": os.urandom(50_000) for i in range(40)}
    members["data/wells.geojson"] = points(3).encode()
    path = stored_zip(tmp_path / "wells.zip", members)
    report = import_file(path=path, options=ImportOptions(layer="wells"))
    assert report.created == 3 and extracted == ["data/wells.geojson"]


def test_a_member_declared_over_the_file_limit_is_refused_before_unpacking(
    settings, haiti, tmp_path, extracted
):
    settings.KOMIN_IMPORT_MAX_BYTES = 200_000
    path = tmp_path / "big.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.geojson", points(1) + " " * 600_000)  # compresses ~100×
    assert path.stat().st_size < 200_000
    with pytest.raises(ImportFailed, match="more than the limit of 200000 for one file"):
        import_file(path=path, options=ImportOptions(layer="big"))
    assert extracted == []


def test_latin1_text_is_re_encoded_block_by_block(settings, haiti, tmp_path, monkeypatch):
    monkeypatch.setattr(staging, "TEXT_BLOCK", 64)
    doc = json.loads(points(5))
    doc["features"][3]["properties"]["kind"] = "école " * 30
    path = tmp_path / "ecoles.geojson"
    path.write_bytes(json.dumps(doc, ensure_ascii=False).encode("latin-1"))
    with pytest.raises(ImportFailed, match=r"not valid UTF-8 text \(byte 0xe9 at position"):
        import_file(path=path, options=ImportOptions(layer="ecoles"))
    position = json.dumps(doc, ensure_ascii=False).encode("latin-1").index("é".encode("latin-1"))
    with pytest.raises(ImportFailed, match=f"at position {position}\\)"):
        import_file(path=path, options=ImportOptions(layer="ecoles"))
    import_file(path=path, options=ImportOptions(layer="ecoles", encoding="latin-1"))
    stored = Feature.objects.get(layer__slug="ecoles", attributes__code="P3")
    assert stored.attributes["kind"].startswith("école école")


def test_an_upload_declared_over_the_limit_is_413_before_the_body_is_read(settings, api, staff):
    settings.KOMIN_IMPORT_MAX_BYTES = 1000
    body = io.BytesIO(b"x" * 10)  # the declared length is what is judged
    response = api.generic(
        "POST", "/api/v1/layers/x/import/", body.getvalue(),
        content_type="multipart/form-data; boundary=b", CONTENT_LENGTH=str(5 * 1024 * 1024),
    )  # fmt: skip
    assert response.status_code == 413 and response.json()["error"] == "too_large"


def test_a_refused_upload_names_the_file_but_no_server_path(haiti, api, staff, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection", "features": [')
    response = api.post("/api/v1/layers/x/import/", {"file": open(path, "rb")}, format="multipart")
    detail = response.json()["detail"]
    assert response.status_code == 400 and "broken.geojson" in detail
    assert "/tmp" not in detail and "komin-import-" not in detail
