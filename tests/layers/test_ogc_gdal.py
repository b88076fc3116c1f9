"""GDAL's OGC API – Features driver (Debian's gdal-bin, the engine of QGIS) reads every
collection with every column, and the right count, from a live server."""

import shutil
import subprocess

import pytest

from layers.models import Feature, Layer
from tests.live import Gunicorn

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("ogrinfo"), reason="gdal-bin is not installed"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, django_db_setup, django_db_blocker, haiti):
    with django_db_blocker.unblock():
        live = Gunicorn(tmp_path_factory.mktemp("ogc-gdal") / "server.log").start()
    yield live
    live.stop()


def ogrinfo(*args: str) -> str:
    result = subprocess.run(
        ["ogrinfo", "-ro", "--config", "GDAL_HTTP_TIMEOUT", "60", *args],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_gdal_sees_every_schema_attribute_and_the_feature_count(server):
    schools = Layer.objects.get(slug="schools")
    summary = ogrinfo("-so", f"OAPIF:{server.url}/ogc", "schools")
    for entry in schools.schema:
        if not entry.get("private"):
            assert f"\n{entry['name']}: " in summary, (entry["name"], summary)
    total = Feature.objects.filter(layer=schools).count()
    assert f"Feature Count: {total}" in summary


def test_gdal_reads_the_base_url_without_a_slash_and_lists_collections(server):
    listing = ogrinfo(f"OAPIF:{server.url}/ogc")
    assert "schools" in listing and "areas-commune" in listing


def test_gdal_filters_by_bbox_and_attribute(server):
    some = Feature.objects.filter(layer__slug="schools").exclude(attributes__amenity=None)
    amenity = some.values_list("attributes__amenity", flat=True).first()
    expected = some.filter(attributes__amenity=amenity).count()
    found = ogrinfo(
        "-al", "-so", "-where", f"amenity = '{amenity}'", f"OAPIF:{server.url}/ogc", "schools"
    )
    assert f"Feature Count: {expected}" in found
