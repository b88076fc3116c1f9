"""Analytics that take seconds: bounded parameters, one cache entry per normalised query,
and the heavy ones as background jobs with a downloadable result."""

import pyogrio
import pytest

from jobs.models import Job
from tests.analytics.conftest import cell_centre, make_report

pytestmark = pytest.mark.django_db
GI = "/api/v1/analytics/hotspots/gi-star/"
MORAN = "/api/v1/analytics/hotspots/local-moran/"
PUBLIC = "/api/v1/analytics/public/rates/"


@pytest.fixture
def reports(grid, category):
    for row, col, n in [(0, 0, 5), (0, 1, 4), (1, 0, 4), (2, 2, 1)]:
        for _ in range(n):
            make_report(category, cell_centre(row, col), section=grid[1][(row, col)])
    return grid


def test_permutations_are_bounded(api, staff, reports):
    response = api.get(GI, {"level": "section", "area": "ZZ", "permutations": 1000})
    assert response.status_code == 400 and "permutations" in response.json()["fields"]


def test_a_light_local_statistic_answers_inline(api, staff, reports):
    response = api.get(GI, {"level": "section", "area": "ZZ", "permutations": 999})
    assert response.status_code == 200  # 9 areas × 999 is under the budget
    assert len(response.json()["features"]) == 9


def test_a_heavy_local_statistic_is_a_job_whose_result_downloads(
    settings, api, staff, reports, jobs_dir, committed
):
    settings.KOMIN_ANALYTICS_INLINE_COST = 9 * 500  # 9 areas: 999 permutations is heavy
    params = {"level": "section", "area": "ZZ", "permutations": 999, "format": "gpkg"}
    with committed():
        response = api.get(MORAN, params)
    assert response.status_code == 202
    job = api.get(response["Location"]).json()
    assert job["kind"] == "analysis" and job["status"] == "done"
    assert job["params"]["params"]["permutations"] == "999" and job["result"]["rows"] == 9
    download = api.get(job["links"]["result"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/geopackage+sqlite3"
    frame = pyogrio.read_dataframe(b"".join(download.streaming_content))
    assert len(frame) == 9 and set(frame["pcode"]) == {
        f"ZZ-{r}-{c}" for r in range(3) for c in range(3)
    }


def test_a_heavy_analysis_with_a_wrong_reference_is_400_not_a_job(settings, api, staff, reports):
    settings.KOMIN_ANALYTICS_INLINE_COST = 1
    response = api.get(GI, {"level": "section", "area": "ZZ", "category": "nope"})
    assert response.status_code == 400 and not Job.objects.exists()
    response = api.get(GI, {"level": "country"})
    assert response.status_code == 400 and not Job.objects.exists()


def test_zonal_statistics_over_many_areas_are_a_job(settings, api, staff, reports, raster_dir):
    from pathlib import Path

    from tests.analytics.test_rasters import RASTERS, upload

    settings.KOMIN_ANALYTICS_INLINE_ZONAL_AREAS = 5
    assert upload(api, Path(RASTERS) / "slope.tif", "Slope").status_code == 201
    url = "/api/v1/analytics/rasters/slope/zonal/"
    assert api.get(url, {"level": "section", "area": "ZZ-0-0"}).status_code == 200
    assert api.get(url, {"level": "section", "area": "ZZ"}).status_code == 202


def test_a_large_raster_upload_is_a_job(api, staff, raster_dir, every_upload_is_a_job, committed):
    from tests.analytics.test_rasters import RASTERS, upload

    with committed():
        response = upload(api, RASTERS / "slope.tif", "Slope", unit="degrees")
    assert response.status_code == 202
    job = api.get(response["Location"]).json()
    assert job["status"] == "done" and job["result"]["slug"] == "slope"
    assert job["result"]["unit"] == "degrees" and len(list(raster_dir.glob("slope-*.tif"))) == 1


def test_a_bad_raster_upload_fails_its_job_with_the_reason(
    api, staff, raster_dir, every_upload_is_a_job, committed, tmp_path
):
    from tests.analytics.test_rasters import upload

    fake = tmp_path / "fake.tif"
    fake.write_bytes(b"not a tiff at all")
    with committed():
        response = upload(api, fake, "Fake")
    job = api.get(response["Location"]).json()
    assert job["status"] == "failed" and "TIFF header" in job["error"]


def test_public_rates_refuse_full_detail(api, reports):
    response = api.get(PUBLIC, {"level": "section", "detail": "full"})
    assert response.status_code == 400 and "detail" in response.json()["fields"]
    assert api.get(PUBLIC, {"level": "section", "area": "ZZ", "detail": "low"}).status_code == 200


def test_one_cache_entry_per_normalised_query(api, reports, category):
    first = api.get(PUBLIC, {"level": "departement", "area": "ZZ", "from": "2026-01-01"})
    assert first.status_code == 200 and first["Cache-Control"] == "public, max-age=300"
    total = first.json()["features"][0]["properties"]["reports"]
    assert total == 14
    make_report(category, cell_centre(1, 1))  # not seen until the entry expires
    for variant in [
        {"from": "2026-01-01T00:00"},
        {"from": "2026-01-01T00:00:00", "nonce": "x1"},
        {"from": "2026-01-01", "detail": "mid"},
    ]:
        again = api.get(PUBLIC, {"area": "ZZ", "level": "departement", **variant})
        assert again.json()["features"][0]["properties"]["reports"] == total, variant
    fresh = api.get(PUBLIC, {"level": "departement", "area": "ZZ", "from": "2025-12-31"})
    assert fresh.json()["features"][0]["properties"]["reports"] == total + 1


def test_staff_analyses_are_cached_by_normalised_parameters_too(api, staff, reports, category):
    url = "/api/v1/analytics/rates/"
    first = api.get(url, {"level": "section", "area": "ZZ", "status": "open,closed"})
    make_report(category, cell_centre(1, 1))
    again = api.get(url, {"status": "closed,open", "area": "ZZ", "level": "section", "x": "1"})
    assert first.content == again.content
