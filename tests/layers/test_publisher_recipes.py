"""Data sets made from their publisher's current source (layers/publisher_recipes): a
local HTTP server stands in for HDX's API, the Overpass API and GeoNames, serving source
files made by the test from the mirror's files in the publishers' formats. Each recipe
gives a file that Komin loads, with a record of what was fetched; a wrong source is
refused with a message naming the problem, and nothing is written."""

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.gis.gdal import DataSource

from frontend.services import load_places
from layers.data_fetch import record_path, sha256_of
from layers.datasets import DatasetError, get_dataset
from layers.services.layer_datasets import load_layer_dataset
from layers.services.population import _read as read_population
from tests.layers import test_data_fetch
from tests.layers.test_data_fetch import MIRROR, serve_hdx

publisher = test_data_fetch.publisher  # the fixture: a local server, an empty data folder

pytestmark = pytest.mark.skipif(
    not (MIRROR and MIRROR.is_dir()), reason="the tests serve the files of the local mirror"
)
API = "/data.humdata.org/api/3/action/package_show"
POPULATION = "haiti/population/hti_population_ihsi_unfpa_2019.csv"
SCHOOLS = "haiti/infrastructure/pap_schools_osm.geojson"
PLACES = "haiti/places/hti_places_geonames_pop500.geojson"
GPKG = "haiti/boundaries/hti_cod_ab_cnigs_20181129.gpkg"


def data_path(relative: str) -> Path:
    return Path(settings.KOMIN_DATA_DIR) / relative


def assert_nothing_written(relative: str) -> None:
    path = data_path(relative)
    assert not path.exists() and not record_path(path).exists()
    assert not list(path.parent.glob(".*.part")) if path.parent.exists() else True


# --- population: HDX's CKAN API + COD-PS tables --------------------------------------------


def cod_ps_tables(mirror_csv: Path) -> dict[int, str]:
    """The mirror's figures as HDX's COD-PS tables, one per level, with an HXL row."""
    tables = {}
    rows = list(csv.DictReader(mirror_csv.open(encoding="utf-8", newline="")))
    for level in (1, 2, 3):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [f"ADM{level}_FR", f"ADM{level}_PCODE", "ADM0_PCODE", "F_TL", "M_TL", "T_TL"]
        )
        writer.writerow(
            [
                f"#adm{level}+name",
                f"#adm{level}+code",
                "#country+code",
                "#population+f",
                "#population+m",
                "#population+total",
            ]
        )
        for row in rows:
            if row["level"] == str(level):
                writer.writerow(
                    [
                        row["name_fr"],
                        row["pcode"],
                        "HT",
                        row["female"],
                        row["male"],
                        row["population"],
                    ]
                )
        tables[level] = out.getvalue()
    return tables


def serve_cod_ps(served, tables: dict[int, str]) -> None:
    resources = [{"name": "hti_admpop_2019.xlsx", "url": f"{served.base}/x.xlsx"}]
    for level, text in tables.items():
        name = f"hti_admpop_adm{level}_2019.csv"
        served.routes[f"/hdx/{name}"] = text.encode("utf-8-sig")
        resources.append({"name": name, "url": f"{served.base}/hdx/{name}"})
    answer = {"success": True, "result": {"resources": resources}}
    served.routes[f"{API}?id=cod-ps-hti"] = json.dumps(answer).encode()


def test_population_is_made_from_the_cod_ps_tables_found_through_hdx(publisher):
    serve_hdx(publisher)  # the boundaries whose P-codes are checked
    serve_cod_ps(publisher, cod_ps_tables(MIRROR / POPULATION))

    get_dataset("hti-population-2019").verify()

    made = data_path(POPULATION)
    assert sha256_of(made) == sha256_of(MIRROR / POPULATION)  # same figures, same file
    assert len(read_population(made)) == 720
    record = json.loads(record_path(made).read_text())
    assert [Path(s["url"]).name for s in record["sources"]] == [
        f"hti_admpop_adm{level}_2019.csv" for level in (1, 2, 3)
    ]
    assert all(len(s["sha256"]) == 64 and s["fetched_at"] for s in record["sources"])
    assert "COD-PS adm3: 570 of 570 P-codes, all known" in record["checks"]


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda t: t.replace("T_TL", "TOTAL", 1), "no column T_TL"),
        (
            lambda t: t.replace("HT0111-01", "HT0999-01"),
            "unknown to the boundaries hti-cod-ab: HT0999-01",
        ),
        (lambda t: "\r\n".join(t.split("\r\n")[:100]), "fewer than 90%"),
    ],
    ids=["column", "pcode", "rows"],
)
def test_a_wrong_cod_ps_table_is_refused_and_nothing_written(publisher, spoil, problem):
    serve_hdx(publisher)
    tables = cod_ps_tables(MIRROR / POPULATION)
    tables[3] = spoil(tables[3])
    serve_cod_ps(publisher, tables)

    with pytest.raises(DatasetError) as refused:
        get_dataset("hti-population-2019").verify()

    assert problem in str(refused.value) and "refused" in str(refused.value)
    assert_nothing_written(POPULATION)


# --- schools: the Overpass API -------------------------------------------------------------


def overpass_answer(features: list[dict], extra: list[dict] = ()) -> bytes:
    elements = []
    for feature in features:
        props = feature["properties"]
        lon, lat = feature["geometry"]["coordinates"]
        tags = {k: v for k, v in props.items() if v is not None and not k.startswith("osm_")}
        kind = props["osm_type"].removesuffix("s")
        where = {"lat": lat, "lon": lon} if kind == "node" else {"center": {"lat": lat, "lon": lon}}
        elements.append({"type": kind, "id": props["osm_id"], **where, "tags": tags})
    answer = {"version": 0.6, "generator": "Overpass API", "elements": elements + list(extra)}
    return json.dumps(answer).encode()


OUTSIDE = {  # a school of Cap-Haïtien: in no bounding box of Port-au-Prince, yet refused there
    "type": "node",
    "id": 1,
    "lat": 18.5005,
    "lon": -72.2301,
    "tags": {"amenity": "school"},
}
OVERPASS = "/overpass-api.de/api/interpreter"


@pytest.mark.django_db
def test_schools_are_made_from_overpass_clipped_to_the_commune_and_load(publisher):
    serve_hdx(publisher)
    mirror = json.loads((MIRROR / SCHOOLS).read_text())["features"]
    publisher.routes[OVERPASS] = overpass_answer(mirror, [OUTSIDE])

    report = load_layer_dataset(key="pap-schools-osm")

    made = json.loads(data_path(SCHOOLS).read_text())["features"]
    assert {f["properties"]["osm_id"] for f in made} == {f["properties"]["osm_id"] for f in mirror}
    assert report.rows == 263
    record = json.loads(record_path(data_path(SCHOOLS)).read_text())
    assert record["sha256"] == sha256_of(data_path(SCHOOLS))
    assert "amenity" in record["sources"][0]["url"] and "HT0111" in record["checks"][0]


@pytest.mark.parametrize(
    ("answer", "problem"),
    [
        (b"<html>rate limited</html>", "is not JSON"),
        (json.dumps({"elements": [], "remark": "runtime error: timed out"}).encode(), "incomplete"),
        (
            json.dumps({"elements": [{**OUTSIDE, "tags": {"amenity": "hospital"}}]}).encode(),
            "amenity='hospital'",
        ),
        (
            json.dumps({"elements": []}).encode(),
            "features inside HT0111: 0, outside the expected 50–5000",
        ),
    ],
    ids=["html", "remark", "amenity", "empty"],
)
def test_a_wrong_overpass_answer_is_refused_and_nothing_written(publisher, answer, problem):
    serve_hdx(publisher)
    publisher.routes[OVERPASS] = answer

    with pytest.raises(DatasetError) as refused:
        get_dataset("pap-schools-osm").verify()

    assert problem in str(refused.value)
    assert_nothing_written(SCHOOLS)


# --- places: GeoNames' HT.zip --------------------------------------------------------------


def geonames_zip(features: list[dict], extra_lines: list[str] = (), member="HT.txt") -> bytes:
    lines = []
    for feature in features:
        p = feature["properties"]
        columns = [p["geonameid"], p["name"], p["name"], p["alternatenames"], p["latitude"],
                   p["longitude"], "P", "PPL", "HT", "", p["admin1code"], "", "", "",
                   p["population"], "", "50", p["timezone"], "2024-01-01"]  # fmt: skip
        lines.append("\t".join(str(c) for c in columns))
    # Left out: an administrative area, and a hamlet of fewer than 500.
    lines.append(
        "\t".join(
            [
                "3",
                "Ouest",
                "Ouest",
                "",
                "18.6",
                "-72.3",
                "A",
                "ADM1",
                "HT",
                "",
                "11",
                "",
                "",
                "",
                "4000000",
                "",
                "",
                "America/Port-au-Prince",
                "2024-01-01",
            ]
        )
    )
    lines.append(
        "\t".join(
            [
                "4",
                "Ti Bouk",
                "Ti Bouk",
                "",
                "18.6",
                "-72.3",
                "P",
                "PPL",
                "HT",
                "",
                "11",
                "",
                "",
                "",
                "120",
                "",
                "",
                "America/Port-au-Prince",
                "2024-01-01",
            ]
        )
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(member, "\n".join(lines + list(extra_lines)) + "\n")
        bundle.writestr("readme.txt", "GeoNames")
    return archive.getvalue()


HT_ZIP = "/download.geonames.org/export/dump/HT.zip"


@pytest.mark.django_db
def test_places_are_made_from_the_geonames_dump_and_load(publisher):
    mirror = json.loads((MIRROR / PLACES).read_text())["features"]
    publisher.routes[HT_ZIP] = geonames_zip(mirror)

    get_dataset("hti-places-geonames").verify()

    made = json.loads(data_path(PLACES).read_text())["features"]
    assert [f["properties"] for f in made] == [f["properties"] for f in mirror]
    loaded = load_places(path=data_path(PLACES), dataset="hti-places-geonames")
    assert loaded.created + loaded.updated == 113  # updated: a kept test database has them
    record = json.loads(record_path(data_path(PLACES)).read_text())
    assert record["sources"][0]["sha256"] == sha256_of_bytes(publisher.routes[HT_ZIP])


def sha256_of_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    ("archive", "problem"),
    [
        (b"PK\x03\x04 truncated", "HT.zip is not a zip archive"),
        (None, "HT.txt line 114: 18 columns, not the 19 of a GeoNames dump"),
        ("no-member", "HT.zip has no member HT.txt"),
    ],
    ids=["zip", "columns", "member"],
)
def test_a_wrong_geonames_dump_is_refused_and_nothing_written(publisher, archive, problem):
    mirror = json.loads((MIRROR / PLACES).read_text())["features"]
    if archive is None:
        archive = geonames_zip(mirror[:111], ["5\tshort" + "\t" * 16])
    elif archive == "no-member":
        archive = geonames_zip(mirror, member="allCountries.txt")
    publisher.routes[HT_ZIP] = archive

    with pytest.raises(DatasetError) as refused:
        get_dataset("hti-places-geonames").verify()

    assert problem in str(refused.value)
    assert_nothing_written(PLACES)


# --- the COD-AB GeoPackage: ogr2ogr from the Shapefiles -------------------------------------


def test_the_geopackage_is_made_from_the_shapefiles_and_checked(publisher):
    serve_hdx(publisher)

    get_dataset("hti-cod-ab-gpkg").verify()

    package = DataSource(str(data_path(GPKG)))
    counts = {layer.name: len(layer) for layer in package}
    assert counts == {"adm0": 1, "adm1": 10, "adm2": 140, "adm3": 570}
    arrondissements = {f.get("ARR_CODE_DERIVED") for f in package["adm2"]}
    assert len(arrondissements) == 42
    get_dataset("hti-cod-ab-gpkg").verify()  # its recorded sha256 stands for the mirror's


def test_the_mirror_copy_wins_and_is_checked_by_checksum(publisher, settings):
    settings.KOMIN_DATA_MIRROR = str(MIRROR)

    get_dataset("hti-places-geonames").verify()

    assert sha256_of(data_path(PLACES)) == sha256_of(MIRROR / PLACES)
    assert not record_path(data_path(PLACES)).exists()
    assert publisher.requests == []


def test_a_changed_file_without_its_record_is_still_refused(publisher, settings):
    publisher.routes[HT_ZIP] = geonames_zip(json.loads((MIRROR / PLACES).read_text())["features"])
    get_dataset("hti-places-geonames").verify()
    record_path(data_path(PLACES)).unlink()
    data_path(PLACES).write_text(data_path(PLACES).read_text().replace("Delmas", "Delma"))

    with pytest.raises(DatasetError, match="does not match its recorded sha256"):
        get_dataset("hti-places-geonames").verify()
