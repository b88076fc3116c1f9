"""Imports: real files from ../shared/data and small files generated in tmp_path."""

import io
import json
import zipfile

import geopandas as gpd
import pytest
from django.core.management import CommandError, call_command
from shapely.geometry import Point

from layers.imports import ImportFailed
from layers.models import Feature, Layer
from layers.services.imports import ImportOptions, ImportRejected, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def infra(settings):
    return settings.KOMIN_DATA_DIR / "haiti" / "infrastructure"


def geojson(path, features, crs=None):
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(doc))
    return path


def point(lon, lat, **props):
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


def run(path, name=None, **options):
    return import_file(path=path, name=name, options=ImportOptions(**options))


def write_shapefile(folder, crs="EPSG:4326"):
    frame = gpd.GeoDataFrame(
        {"name": ["Puits A", "Puits B"]},
        geometry=[Point(-72.2, 19.75), Point(-72.21, 19.76)],
        crs=crs,
    )
    frame.to_file(folder / "wells.shp", engine="pyogrio")
    return folder / "wells.shp"


def zip_of(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def shapefile_zip(tmp_path, drop=()):
    shp = write_shapefile(tmp_path)
    members = {
        f"wells{ext}": (tmp_path / f"wells{ext}").read_bytes()
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")
        if ext not in drop and (tmp_path / f"wells{ext}").exists()
    }
    return zip_of(shp.with_suffix(".zip"), members)


def test_water_points_multipoints_in_utm_are_stored_as_points_at_cap_haitien(haiti, infra):
    layer = Layer.objects.get(slug="water-points")
    features = Feature.objects.filter(layer=layer)
    assert features.count() == 1849
    assert set(features.values_list("geom", flat=True)[0].geom_type for _ in [0]) == {"Point"}
    sample = features.first().geom
    assert -72.6 < sample.x < -71.9 and 19.5 < sample.y < 19.9
    assert features.filter(area__pcode__startswith="HT0311").count() == 739


def test_schools_named_nan_have_no_name_and_keep_their_osm_id(haiti):
    schools = Feature.objects.filter(layer__slug="schools")
    assert schools.count() == 263
    assert schools.filter(attributes__has_key="name").count() == 250
    assert not schools.filter(attributes__name="Nan").exists()
    assert schools.filter(external_id="5032187922").exists()


DEMO_SCHOOL_FIELDS = {
    "name": "name", "name_fr": "name:fr", "name_ht": "name:ht", "name_en": "name:en",
    "amenity": "amenity", "operator_type": "operator:type", "capacity": "capacity:persons",
    "address": "addr:full", "city": "addr:city", "osm_type": "osm_type",
}  # fmt: skip


def test_reimporting_the_same_file_changes_nothing(haiti, infra):
    before = Layer.objects.get(slug="schools").version
    stamps = dict(Feature.objects.filter(layer__slug="schools").values_list("id", "updated_at"))
    report = run(
        infra / "pap_schools_osm.geojson",
        layer="schools",
        id_field="osm_id",
        null_values=("Nan",),
        fields=DEMO_SCHOOL_FIELDS,  # as the demo imported it (data/layers/sources.toml)
    )
    assert (report.created, report.updated, report.unchanged) == (0, 0, 263)
    assert Feature.objects.filter(layer__slug="schools").count() == 263
    assert Layer.objects.get(slug="schools").version == before
    after = dict(Feature.objects.filter(layer__slug="schools").values_list("id", "updated_at"))
    assert after == stamps


def test_dry_run_reports_and_writes_nothing(haiti, tmp_path):
    path = geojson(
        tmp_path / "p.geojson",
        [point(-72.34, 18.54, nom="A", extra=1), point(-60.0, 10.0, nom="B", extra=2)],
    )
    report = run(path, layer="dry", fields={"name": "nom"}, dry_run=True)
    assert report.rows == 2 and report.valid == 2
    assert report.out_of_area == 1
    assert report.unmapped_fields == ["extra"]
    assert not Layer.objects.filter(slug="dry").exists()


def test_command_dry_run_prints_the_report(haiti, tmp_path):
    path = geojson(tmp_path / "p.geojson", [point(-72.34, 18.54, nom="A")])
    out = io.StringIO()
    call_command("import_layer", str(path), "--layer", "cmd", "--dry-run", stdout=out, verbosity=0)
    assert "1 rows, 1 valid" in out.getvalue() and "nothing written" in out.getvalue()
    assert not Layer.objects.filter(slug="cmd").exists()


def test_csv_with_lat_lon_columns(haiti, tmp_path):
    path = tmp_path / "taps.csv"
    path.write_text("id,name,lat,lon,flow\n1,Kiosk,18.54,-72.34,2.5\n2,Tap,18.55,-72.33,\n")
    report = run(path, layer="taps", id_field="id")
    assert report.created == 2
    tap = Feature.objects.get(layer__slug="taps", external_id="1")
    assert tap.attributes == {"name": "Kiosk", "flow": 2.5}
    assert tap.area.pcode.startswith("HT0111")
    assert Layer.objects.get(slug="taps").geometry_type == "Point"


def test_geopackage_and_kml(haiti, tmp_path):
    frame = gpd.GeoDataFrame({"name": ["A"]}, geometry=[Point(-72.34, 18.54)], crs="EPSG:4326")
    frame.to_file(tmp_path / "a.gpkg", engine="pyogrio", layer="wells")
    assert run(tmp_path / "a.gpkg", layer="gpkg").created == 1
    kml = tmp_path / "a.kml"
    kml.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2">'
        "<Document><Placemark><name>Pompe</name><Point><coordinates>-72.34,18.54</coordinates>"
        "</Point></Placemark></Document></kml>"
    )
    assert run(kml, layer="kml").created == 1
    assert Feature.objects.get(layer__slug="kml").attributes["name"] == "Pompe"


def test_zipped_shapefile_is_imported(haiti, tmp_path):
    report = run(shapefile_zip(tmp_path), layer="wells")
    assert report.created == 2


def test_zipped_shapefile_in_utm_is_reprojected(haiti, tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["A"]}, geometry=[Point(-72.2, 19.75)], crs="EPSG:4326"
    ).to_crs(32618)
    frame.to_file(tmp_path / "wells.shp", engine="pyogrio")
    members = {
        f"wells{e}": (tmp_path / f"wells{e}").read_bytes() for e in (".shp", ".shx", ".dbf", ".prj")
    }
    run(zip_of(tmp_path / "w.zip", members), layer="utm")
    geom = Feature.objects.get(layer__slug="utm").geom
    assert geom.x == pytest.approx(-72.2, abs=1e-6) and geom.y == pytest.approx(19.75, abs=1e-6)


@pytest.mark.parametrize(
    ("drop", "message"), [((".shx",), "no .shx"), ((".prj",), "no .prj"), ((".dbf",), "no .dbf")]
)
def test_shapefile_missing_a_part_is_refused(haiti, tmp_path, drop, message):
    with pytest.raises(ImportFailed, match=message):
        run(shapefile_zip(tmp_path, drop=drop), layer="broken")
    assert not Layer.objects.filter(slug="broken").exists()


def test_zip_with_parent_path_is_refused(haiti, tmp_path):
    path = zip_of(tmp_path / "evil.zip", {"../evil.geojson": b'{"type":"FeatureCollection"}'})
    with pytest.raises(ImportFailed, match="points outside the zip"):
        run(path, layer="evil")


def test_zip_with_symlink_is_refused(haiti, tmp_path):
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("data.geojson")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(ImportFailed, match="symbolic link"):
        run(path, layer="evil")


def test_zip_bomb_is_refused(haiti, tmp_path):
    path = zip_of(tmp_path / "bomb.zip", {"bomb.geojson": b" " * (50 * 1024 * 1024)})
    assert path.stat().st_size < 200_000
    with pytest.raises(ImportFailed, match="zip bomb"):
        run(path, layer="bomb")


def test_file_that_is_not_what_its_name_says_is_refused(haiti, tmp_path):
    path = tmp_path / "photo.geojson"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    with pytest.raises(ImportFailed, match="not a geojson as its name says"):
        run(path, layer="png")
    gpkg_named_zip = tmp_path / "data.zip"
    gpd.GeoDataFrame({"a": [1]}, geometry=[Point(0, 0)], crs=4326).to_file(
        tmp_path / "data.gpkg", driver="GPKG", engine="pyogrio"
    )
    (tmp_path / "data.gpkg").rename(gpkg_named_zip)
    with pytest.raises(ImportFailed, match="not a zip"):
        run(gpkg_named_zip, layer="gpkg")


def test_wrong_encoding_is_refused_then_accepted_when_named(haiti, tmp_path):
    path = tmp_path / "latin.geojson"
    text = json.dumps(
        {"type": "FeatureCollection", "features": [point(-72.34, 18.54, nom="École")]},
        ensure_ascii=False,
    )
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        run(path, layer="latin")
    run(path, layer="latin", encoding="latin-1")
    assert Feature.objects.get(layer__slug="latin").attributes["nom"] == "École"


def test_out_of_range_geometry_fails_the_whole_import(haiti, tmp_path):
    path = geojson(tmp_path / "bad.geojson", [point(-72.34, 18.54, n=1), point(500.0, 100.0, n=2)])
    with pytest.raises(ImportRejected, match="row 2: coordinates out of range") as caught:
        run(path, layer="range")
    assert caught.value.report.invalid_count == 1
    assert not Layer.objects.filter(slug="range").exists()
    assert not Feature.objects.filter(attributes__n=1).exists()


def test_attribute_that_does_not_fit_the_schema_fails_the_import(haiti, tmp_path):
    layer = Layer.objects.create(slug="typed", title="T", schema=[{"name": "n", "type": "integer"}])
    path = geojson(tmp_path / "t.geojson", [point(-72.34, 18.54, n="three")])
    with pytest.raises(ImportRejected, match="'three' is not a valid integer"):
        run(path, layer="typed")
    assert not layer.features.exists()


def test_limits_on_size_and_rows_are_settings(haiti, tmp_path, settings):
    path = geojson(tmp_path / "p.geojson", [point(-72.34, 18.54), point(-72.35, 18.55)])
    settings.KOMIN_IMPORT_MAX_ROWS = 1
    with pytest.raises(ImportFailed, match="2 rows is more than the limit of 1"):
        run(path, layer="big")
    settings.KOMIN_IMPORT_MAX_BYTES = 10
    with pytest.raises(ImportFailed, match="more than the limit of 10"):
        run(path, layer="big")


def test_remote_paths_are_never_opened(haiti):
    with pytest.raises(CommandError, match="only local files"):
        call_command("import_layer", "/vsicurl/http://example.com/a.geojson", "--layer", "x")


def test_api_upload_needs_staff_and_reports_errors(haiti, tmp_path, api, django_user_model):
    path = geojson(tmp_path / "p.geojson", [point(-72.34, 18.54, nom="A")])
    url = "/api/v1/layers/uploaded/import/"
    assert api.post(url, {"file": open(path, "rb")}, format="multipart").status_code in (401, 403)
    staff = django_user_model.objects.create_user("chief", password="x", is_staff=True)
    api.force_authenticate(staff)
    dry = api.post(url, {"file": open(path, "rb"), "dry_run": "true"}, format="multipart")
    assert dry.status_code == 200 and dry.json()["valid"] == 1
    assert not Layer.objects.filter(slug="uploaded").exists()
    done = api.post(url, {"file": open(path, "rb"), "title": "Uploaded"}, format="multipart")
    assert done.status_code == 201 and done.json()["created"] == 1
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json")
    response = api.post(url, {"file": open(bad, "rb")}, format="multipart")
    assert response.status_code == 400 and response.json()["error"] == "import_failed"


def test_shapefile_in_latin1_without_cpg_is_refused_not_garbled(haiti, tmp_path):
    frame = gpd.GeoDataFrame({"nom": ["École"]}, geometry=[Point(-72.34, 18.54)], crs=4326)
    frame.to_file(tmp_path / "ecoles.shp", engine="pyogrio", encoding="latin1")
    (tmp_path / "ecoles.cpg").unlink(missing_ok=True)
    members = {
        f"ecoles{e}": (tmp_path / f"ecoles{e}").read_bytes()
        for e in (".shp", ".shx", ".dbf", ".prj")
    }
    path = zip_of(tmp_path / "ecoles.zip", members)
    with pytest.raises(ImportFailed, match="not valid UTF-8"):
        run(path, layer="ecoles")
    run(path, layer="ecoles", encoding="latin1")
    assert Feature.objects.get(layer__slug="ecoles").attributes["nom"] == "École"


def test_csv_without_coordinate_columns_is_refused_naming_the_columns(haiti, tmp_path):
    path = tmp_path / "taps.csv"
    path.write_text("id,name,north,east\n1,Kiosk,18.54,-72.34\n")
    with pytest.raises(ImportFailed, match="no coordinate columns.*north, east"):
        run(path, layer="taps-nocoords", id_field="id")
    assert not Layer.objects.filter(slug="taps-nocoords").exists()


def test_csv_with_lat_lon_swapped_is_refused_unless_forced(haiti, tmp_path):
    path = tmp_path / "swapped.csv"
    path.write_text("id,lat,lon\n1,-72.34,18.54\n2,-72.33,18.55\n3,-72.2,19.75\n")
    with pytest.raises(ImportRejected, match="look swapped") as refused:
        run(path, layer="swapped", id_field="id")
    assert refused.value.report.out_of_area == 3
    assert not Layer.objects.filter(slug="swapped").exists()
    report = run(path, layer="swapped", id_field="id", force=True)
    assert report.created == 3 and report.out_of_area == 3


def test_rows_far_from_the_service_area_are_refused_with_a_crs_hint(haiti, tmp_path):
    path = tmp_path / "paris.csv"
    path.write_text("id,lat,lon\n1,48.85,2.35\n2,48.86,2.34\n")
    with pytest.raises(ImportRejected, match="check the coordinate system"):
        run(path, layer="paris", id_field="id")


def test_reimport_updates_only_changed_rows_and_replace_keeps_unchanged_ones(haiti, tmp_path):
    path = tmp_path / "kiosks.csv"
    path.write_text("id,name,lat,lon\n1,A,18.54,-72.34\n2,B,18.55,-72.33\n3,C,18.53,-72.34\n")
    run(path, layer="kiosks", id_field="id")
    version = Layer.objects.get(slug="kiosks").version
    stamp = Feature.objects.get(layer__slug="kiosks", external_id="1").updated_at
    path.write_text("id,name,lat,lon\n1,A,18.54,-72.34\n2,B2,18.55,-72.33\n")
    report = run(path, layer="kiosks", id_field="id", replace=True)
    assert (report.created, report.updated, report.unchanged, report.deleted) == (0, 1, 1, 1)
    assert Feature.objects.get(layer__slug="kiosks", external_id="1").updated_at == stamp
    assert set(
        Feature.objects.filter(layer__slug="kiosks").values_list("external_id", flat=True)
    ) == {"1", "2"}
    assert Layer.objects.get(slug="kiosks").version == version + 1


@pytest.mark.parametrize(
    "encoding", ["latin-1", "ISO-8859-1", "iso8859_1", "cp1252", "windows-1252"]
)
def test_the_encoding_the_message_suggests_works_for_shapefiles(haiti, tmp_path, encoding):
    frame = gpd.GeoDataFrame({"nom": ["École"]}, geometry=[Point(-72.34, 18.54)], crs=4326)
    frame.to_file(tmp_path / "ecoles.shp", engine="pyogrio", encoding="latin1")
    (tmp_path / "ecoles.cpg").unlink(missing_ok=True)
    members = {
        f"ecoles{e}": (tmp_path / f"ecoles{e}").read_bytes()
        for e in (".shp", ".shx", ".dbf", ".prj")
    }
    path = zip_of(tmp_path / "ecoles.zip", members)
    with pytest.raises(ImportFailed, match="encoding=latin-1"):
        run(path, layer="ecoles")
    run(path, layer="ecoles", encoding=encoding)
    assert Feature.objects.get(layer__slug="ecoles").attributes["nom"] == "École"


def test_an_unknown_encoding_is_refused_by_name(haiti, tmp_path):
    path = tmp_path / "taps.csv"
    path.write_text("id,lat,lon\n1,18.54,-72.34\n")
    with pytest.raises(ImportFailed, match="unknown encoding 'klingon'"):
        run(path, layer="taps-enc", encoding="klingon")


def test_srid_rescues_a_shapefile_without_prj(haiti, tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["A"]}, geometry=[Point(-72.2014, 19.7592)], crs="EPSG:4326"
    ).to_crs(32618)
    frame.to_file(tmp_path / "wells.shp", engine="pyogrio")
    members = {f"wells{e}": (tmp_path / f"wells{e}").read_bytes() for e in (".shp", ".shx", ".dbf")}
    path = zip_of(tmp_path / "w.zip", members)
    with pytest.raises(ImportFailed, match="say the EPSG code"):
        run(path, layer="noprj")
    run(path, layer="noprj", srid=32618)
    geom = Feature.objects.get(layer__slug="noprj").geom
    assert geom.x == pytest.approx(-72.2014, abs=1e-6) and geom.y == pytest.approx(
        19.7592, abs=1e-6
    )


KML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
PLACEMARK = (
    "<Placemark><name>Pompe</name><Point><coordinates>-72.34,18.54</coordinates></Point>"
    "</Placemark>"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document>' + PLACEMARK
         + "<NetworkLink><Link><href>http://evil.example/x.kml</href></Link></NetworkLink>"
         + "</Document></kml>", "network links"),
        ('<kml:kml xmlns:kml="http://www.opengis.net/kml/2.2"><kml:Document>'
         + "<kml:NetworkLink><kml:Link><kml:href>http://x/y.kml</kml:href></kml:Link>"
         + "</kml:NetworkLink></kml:Document></kml:kml>", "network links"),
        ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
         + "<!-- " + "padding " * 10000 + "-->" + PLACEMARK
         + "<NetworkLink><Link><href>http://x/y.kml</href></Link></NetworkLink>"
         + "</Document></kml>", "network links"),
        ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document><GroundOverlay><Icon>'
         + "<href>file:///etc/passwd</href></Icon></GroundOverlay>" + PLACEMARK
         + "</Document></kml>", "links to other content"),
        ('<!DOCTYPE kml [<!ENTITY x "y">]><kml xmlns="http://www.opengis.net/kml/2.2">'
         + "<Document>" + PLACEMARK + "</Document></kml>", "DOCTYPE"),
        ('<kml xmlns="http://www.opengis.net/kml/2.2"><Document>' + PLACEMARK, "well-formed"),
    ],
)  # fmt: skip
def test_kml_with_remote_content_anywhere_is_refused(haiti, tmp_path, body, message):
    kml = tmp_path / "a.kml"
    kml.write_text(KML_HEAD + body)
    with pytest.raises(ImportFailed, match=message):
        run(kml, layer="kml-bad")
    assert not Layer.objects.filter(slug="kml-bad").exists()


def test_kml_with_a_style_icon_is_imported(haiti, tmp_path):
    kml = tmp_path / "a.kml"
    kml.write_text(
        KML_HEAD + '<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Style id="s">'
        "<IconStyle><Icon><href>https://maps.example/pin.png</href></Icon></IconStyle></Style>"
        + PLACEMARK + "</Document></kml>"
    )  # fmt: skip
    assert run(kml, layer="kml-icon").created == 1


def test_source_fields_named_like_komins_properties_are_renamed_visibly(haiti, tmp_path, api):
    frame = gpd.GeoDataFrame(
        {"AREA": [12.5], "updated": ["2019-01-01"], "condition": ["good"], "count": [7],
         "name": ["Parc"]},
        geometry=[Point(-72.34, 18.54)], crs=4326,
    )  # fmt: skip
    frame.to_file(tmp_path / "parks.shp", engine="pyogrio")
    members = {
        f"parks{e}": (tmp_path / f"parks{e}").read_bytes() for e in (".shp", ".shx", ".dbf", ".prj")
    }
    report = run(zip_of(tmp_path / "parks.zip", members), layer="parks-src")
    assert report.renamed_fields == {
        "AREA": "source_area", "updated": "source_updated", "condition": "source_condition",
        "count": "source_count",
    }  # fmt: skip
    assert "renamed (reserved names): AREA -> source_area" in report.summary()
    body = json.loads(b"".join(api.get("/api/v1/layers/parks-src/features/").streaming_content))
    properties = body["features"][0]["properties"]
    assert properties["source_area"] == 12.5 and properties["area"].startswith("HT0111")
    assert properties["source_condition"] == "good" and properties["condition"] == "unknown"


def test_a_schema_or_mapping_naming_a_reserved_attribute_is_refused(haiti, tmp_path):
    path = tmp_path / "taps.csv"
    path.write_text("id,lat,lon,surface\n1,18.54,-72.34,3\n")
    with pytest.raises(ImportFailed, match="'area' is reserved"):
        run(path, layer="taps-reserved", id_field="id", fields={"area": "surface"})
