from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, Point

from analytics.models import RasterLayer
from analytics.selectors.zonal import zonal_stats
from layers.datasets import get_dataset
from layers.geometry import as_multipolygon, to_wgs84
from layers.models import AdminArea, Feature, Layer

pytestmark = pytest.mark.django_db
RASTERS = Path(settings.KOMIN_DATA_DIR) / "rasters"
UPLOAD = "/api/v1/analytics/rasters/"


def test_the_test_rasters_are_the_catalogued_files():
    get_dataset("rasterstats-slope").verify()
    get_dataset("terra-elev-luxembourg").verify()


def test_centre_method_gives_the_published_answers_for_slope():
    polygons = gpd.read_file(RASTERS / "polygons.shp")
    stats = zonal_stats(
        RASTERS / "slope.tif", list(polygons.geometry), method="centre", crs=polygons.crs
    )
    assert [s["count"] for s in stats] == [75, 50]
    assert [round(s["mean"], 2) for s in stats] == [14.66, 56.61]


def test_exact_method_weights_cells_by_coverage():
    polygons = gpd.read_file(RASTERS / "polygons.shp")
    stats = zonal_stats(RASTERS / "slope.tif", list(polygons.geometry), crs=polygons.crs)
    for s in stats:
        assert s["mean"] == pytest.approx(s["sum"] / s["count"])
    # Partly covered edge cells add fractions: more than the centre count, less than all touched.
    assert 75 < stats[0]["count"] < 95 and 50 < stats[1]["count"] < 73


def upload(api, path: Path, title: str, **extra):
    with open(path, "rb") as handle:
        return api.post(UPLOAD, {"file": handle, "title": title, **extra})


def test_upload_then_zonal_statistics_per_area_through_the_api(api, staff, raster_dir):
    assert upload(api, RASTERS / "slope.tif", "Slope", unit="degrees").status_code == 201
    assert len(list(raster_dir.glob("slope-*.tif"))) == 1
    srid = RasterLayer.objects.get(slug="slope").epsg
    dept = AdminArea.objects.create(pcode="YY", level="departement", name_fr="YY",
                                    geom=GEOSGeometry("MULTIPOLYGON(((0 0,1 0,1 1,0 0)))", srid=4326))  # fmt: skip
    for _, row in gpd.read_file(RASTERS / "polygons.shp").iterrows():
        multi, _ = as_multipolygon(to_wgs84(GEOSGeometry(row.geometry.wkt, srid=srid)))
        AdminArea.objects.create(pcode=f"YY-{row['id']}", level="section", name_fr="p", parent=dept,
                                 parent_pcode="YY", geom=multi)  # fmt: skip
    body = api.get(
        "/api/v1/analytics/rasters/slope/zonal/",
        {"level": "section", "area": "YY", "method": "centre"},
    ).json()
    stats = {f["properties"]["pcode"]: f["properties"] for f in body["features"]}
    assert stats["YY-1"]["count"] == pytest.approx(75, abs=1)
    assert stats["YY-2"]["count"] == pytest.approx(50, abs=1)
    assert stats["YY-1"]["mean"] == pytest.approx(14.66, abs=0.2)
    assert stats["YY-2"]["mean"] == pytest.approx(56.61, abs=0.5)
    assert (
        api.get(
            "/api/v1/analytics/rasters/slope/zonal/",
            {"level": "section", "area": "YY", "format": "csv"},
        ).status_code
        == 200
    )


def test_sampling_elevation_at_the_features_of_a_layer(api, staff, raster_dir):
    import rasterio

    assert (
        upload(api, RASTERS / "elev_luxembourg.tif", "Elevation", kind="elevation").status_code
        == 201
    )
    layer = Layer.objects.create(slug="posts", title="Posts")
    with rasterio.open(RASTERS / "elev_luxembourg.tif") as dataset:
        grid = dataset.read(1)
        points = {}
        for row, col in [(10, 10), (40, 50), (80, 20)]:
            x, y = dataset.xy(row, col)
            feature = Feature.objects.create(layer=layer, geom=Point(x, y, srid=4326))
            points[feature.pk] = grid[row, col]
    outside = Feature.objects.create(layer=layer, geom=Point(-72.3, 18.5, srid=4326))
    body = api.get("/api/v1/analytics/rasters/elevation/sample/", {"layer": "posts"}).json()
    values = {f["properties"]["feature_id"]: f["properties"]["value"] for f in body["features"]}
    for pk, expected in points.items():
        assert values[pk] == (None if expected == -32768 else float(expected))
    assert values[outside.pk] is None
    high = api.get(
        "/api/v1/analytics/rasters/elevation/sample/", {"layer": "posts", "min": 300}
    ).json()
    assert all(f["properties"]["value"] >= 300 for f in high["features"])


def test_a_vrt_posing_as_a_geotiff_is_refused(api, staff, raster_dir, tmp_path):
    fake = tmp_path / "fake.tif"
    fake.write_text(f'<VRTDataset rasterXSize="95" rasterYSize="90"><VRTRasterBand band="1">'
                    f'<SimpleSource><SourceFilename>{RASTERS / "elev_luxembourg.tif"}</SourceFilename>'
                    "</SimpleSource></VRTRasterBand></VRTDataset>")  # fmt: skip
    response = upload(api, fake, "Fake")
    assert response.status_code == 400 and "not a GeoTIFF" in response.json()["detail"]
    assert not RasterLayer.objects.exists() and not list(Path(raster_dir).glob("*.tif"))


def write_tif(path, *, count=1, crs="EPSG:4326"):
    import rasterio
    from rasterio.transform import from_origin

    with rasterio.open(path, "w", driver="GTiff", width=4, height=4, count=count, dtype="uint8",
                       crs=crs, transform=from_origin(-72.5, 18.6, 0.01, 0.01)) as out:  # fmt: skip
        out.write(np.ones((count, 4, 4), dtype="uint8"))
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: write_tif(p, count=3), "3 bands"),
        (lambda p: write_tif(p, crs=None), "no coordinate reference system"),
        (lambda p: p.write_bytes(b"II*\x00" + b"\x00" * 10), "not a readable GeoTIFF"),
        (lambda p: p.write_bytes(b"PK\x03\x04 a zip"), "not a GeoTIFF"),
    ],
)
def test_wrong_rasters_are_400_with_a_message(api, staff, raster_dir, tmp_path, make, message):
    path = tmp_path / "bad.tif"
    make(path)
    response = upload(api, path, "Bad")
    assert response.status_code == 400 and message in response.json()["detail"]
    assert not RasterLayer.objects.exists()


def test_rasters_are_staff_only(api):
    assert api.get(UPLOAD).status_code in (401, 403)
    assert api.get("/api/v1/analytics/rasters/x/zonal/", {"level": "section"}).status_code in (
        401,
        403,
    )


def test_zonal_with_an_unknown_raster_or_method_is_400(api, staff):
    assert api.get("/api/v1/analytics/rasters/none/zonal/").status_code == 400
    response = api.get("/api/v1/analytics/rasters/none/zonal/", {"method": "average"})
    assert response.status_code == 400 and "method" in response.json()["fields"]


def test_deleting_a_raster_removes_its_file(
    api, staff, raster_dir, django_capture_on_commit_callbacks
):
    assert upload(api, RASTERS / "elev_luxembourg.tif", "Elevation").status_code == 201
    assert api.get(UPLOAD).json()["rasters"][0]["slug"] == "elevation"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete("/api/v1/analytics/rasters/elevation/").status_code == 204
    assert not RasterLayer.objects.exists() and not list(raster_dir.glob("*.tif"))
    assert api.get("/api/v1/analytics/rasters/elevation/").status_code == 404


def test_a_second_upload_with_the_same_slug_is_refused(api, staff, raster_dir):
    assert upload(api, RASTERS / "elev_luxembourg.tif", "Elevation").status_code == 201
    response = upload(api, RASTERS / "elev_luxembourg.tif", "Elevation")
    assert response.status_code == 400 and "already exists" in response.json()["detail"]
    assert len(list(raster_dir.glob("*.tif"))) == 1


def test_zonal_statistics_on_the_demo_departements(haiti, api, staff, raster_dir, tmp_path):
    """A grid of ones over Haiti: each département's exact count is its area in cells,
    which GEOS measures independently in the same (degree) plane."""
    import rasterio
    from rasterio.transform import from_origin

    path = tmp_path / "ones.tif"
    with rasterio.open(path, "w", driver="GTiff", width=300, height=220, count=1, dtype="float32",
                       crs="EPSG:4326", transform=from_origin(-74.6, 20.2, 0.01, 0.01)) as out:  # fmt: skip
        out.write(np.ones((1, 220, 300), dtype="float32"))
    assert upload(api, path, "Ones", kind="population").status_code == 201
    body = api.get(
        "/api/v1/analytics/rasters/ones/zonal/", {"level": "departement", "format": "geojson"}
    ).json()
    assert len(body["features"]) == 10
    for feature in body["features"]:
        props = feature["properties"]
        cells = AdminArea.objects.get(pcode=props["pcode"]).geom.area / 0.01**2
        assert props["count"] == pytest.approx(cells, rel=1e-3)
        assert props["sum"] == pytest.approx(props["count"]) and props["mean"] == pytest.approx(1)


def test_a_raster_whose_file_vanished_is_400_not_500(api, staff, raster_dir):
    assert upload(api, RASTERS / "elev_luxembourg.tif", "Elevation").status_code == 201
    for path in raster_dir.glob("*.tif"):
        path.unlink()
    response = api.get("/api/v1/analytics/rasters/elevation/zonal/", {"level": "departement"})
    assert response.status_code == 400 and "missing" in response.json()["detail"]
