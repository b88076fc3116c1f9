"""Loading boundaries and population: counts, idempotence, repair, refusal of bad input."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from layers.models import AdminArea, AdminAreaPart
from layers.services.boundaries import BoundaryImportError, BoundarySource, load_boundaries
from layers.services.population import PopulationImportError, load_population

pytestmark = pytest.mark.django_db
BOUNDARIES = Path(settings.KOMIN_DATA_DIR) / "haiti" / "boundaries"
PAP_SECTIONS = BOUNDARIES / "pap_sections_HT0111_adm3.geojson"
SECTION_FIELDS = {"pcode": "ADM3_PCODE", "name_fr": "ADM3_FR", "parent": "ADM2_PCODE"}


def test_haiti_has_every_level_with_its_population(haiti):
    counts = {
        level: AdminArea.objects.filter(level=level).count()
        for level in ("departement", "arrondissement", "commune", "section")
    }
    assert counts == {"departement": 10, "arrondissement": 42, "commune": 140, "section": 570}
    assert not AdminArea.objects.filter(population__isnull=True).exists()
    total = sum(AdminArea.objects.filter(level="departement").values_list("population", flat=True))
    assert 12_800_000 < total < 13_000_000


def test_arrondissements_are_derived_from_commune_pcodes(haiti):
    arrondissement = AdminArea.objects.get(pcode="HT011")
    assert arrondissement.derived
    assert arrondissement.parent.pcode == "HT01"
    assert arrondissement.name_fr == "Arrondissement HT011"
    communes = AdminArea.objects.filter(level="commune", pcode__startswith="HT011")
    assert set(communes.values_list("parent__pcode", flat=True)) == {"HT011"}
    assert arrondissement.population == sum(c.population for c in communes)
    area_of_communes = sum(c.area_km2 for c in communes)
    assert arrondissement.area_km2 == pytest.approx(area_of_communes, rel=0.01)


def test_every_area_has_valid_simplified_geometries_and_lookup_pieces(haiti):
    assert not AdminArea.objects.filter(geom_low__isnull=True).exists()
    assert AdminArea.objects.filter(geom_low__isvalid=False).count() == 0
    section = AdminArea.objects.get(pcode="HT0111-01")
    assert section.geom_low.num_coords <= section.geom.num_coords
    assert AdminAreaPart.objects.filter(area=section).count() >= 1
    assert AdminAreaPart.objects.count() > AdminArea.objects.count()


def test_reloading_a_file_updates_instead_of_duplicating(haiti):
    before = AdminArea.objects.count()
    report = load_boundaries(
        sources=[BoundarySource(path=PAP_SECTIONS, level="section", fields=SECTION_FIELDS)]
    )
    assert (report.created, report.updated) == (0, 3)
    assert AdminArea.objects.count() == before


def write_geojson(path: Path, features: list[dict]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def square_feature(pcode: str, ring: list[list[float]]) -> dict:
    return {
        "type": "Feature",
        "properties": {"PCODE": pcode, "NAME": f"Area {pcode}"},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


FIELDS = {"pcode": "PCODE", "name_fr": "NAME"}


def test_an_invalid_polygon_is_repaired_and_reported(db, tmp_path):
    bowtie = [[-72.0, 18.0], [-71.9, 18.1], [-71.9, 18.0], [-72.0, 18.1], [-72.0, 18.0]]
    path = write_geojson(tmp_path / "bowtie.geojson", [square_feature("XX01", bowtie)])
    report = load_boundaries(
        sources=[BoundarySource(path=path, level="departement", fields=FIELDS)]
    )
    assert report.repaired == ["XX01"]
    area = AdminArea.objects.get(pcode="XX01")
    assert area.geom.valid
    assert len(area.geom) == 2  # the bow-tie becomes two triangles


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([square_feature("", [[0, 0], [1, 0], [1, 1], [0, 0]])], "empty P-code"),
        (
            [
                square_feature("XX01", [[0, 0], [1, 0], [1, 1], [0, 0]]),
                square_feature("XX01", [[2, 2], [3, 2], [3, 3], [2, 2]]),
            ],
            "appears twice",
        ),
        ([square_feature("XX02", [[0, 0], [200, 0], [200, 1], [0, 0]])], "out of range"),
        (
            [{"type": "Feature", "properties": {"PCODE": "XX03", "NAME": "x"}, "geometry": None}],
            "no geometry",
        ),
        (
            [
                {
                    "type": "Feature",
                    "properties": {"PCODE": "XX04", "NAME": "x"},
                    "geometry": {"type": "Point", "coordinates": [0, 0]},
                }
            ],
            "no polygon",
        ),
    ],
)
def test_bad_features_refuse_the_whole_file(db, tmp_path, features, message):
    good = square_feature("OK01", [[5, 5], [6, 5], [6, 6], [5, 5]])
    path = write_geojson(tmp_path / "bad.geojson", [good, *features])
    with pytest.raises(BoundaryImportError, match=message):
        load_boundaries(sources=[BoundarySource(path=path, level="commune", fields=FIELDS)])
    assert not AdminArea.objects.filter(pcode="OK01").exists()


def test_a_missing_field_is_named(db):
    fields = {"pcode": "ADM3_PCODE", "name_fr": "NOM"}
    with pytest.raises(BoundaryImportError, match=r"fields \['NOM'\] not found"):
        load_boundaries(sources=[BoundarySource(path=PAP_SECTIONS, level="section", fields=fields)])


def test_a_shapefile_without_prj_is_refused(db, tmp_path):
    stem = "hti_admbnda_adm1_cnigs_20181129"
    for ext in (".shp", ".shx", ".dbf"):
        (tmp_path / f"{stem}{ext}").write_bytes((BOUNDARIES / f"{stem}{ext}").read_bytes())
    fields = {"pcode": "ADM1_PCODE", "name_fr": "ADM1_FR"}
    source = BoundarySource(path=tmp_path / f"{stem}.shp", level="departement", fields=fields)
    with pytest.raises(BoundaryImportError, match="no coordinate reference system"):
        load_boundaries(sources=[source])


def test_a_file_that_is_not_gis_data_is_refused(db, tmp_path):
    path = tmp_path / "areas.geojson"
    path.write_bytes(b"\x89PNG\r\n\x1a\nnot a geojson at all")
    with pytest.raises(BoundaryImportError, match="not a readable GIS file"):
        load_boundaries(sources=[BoundarySource(path=path, level="commune", fields=FIELDS)])


def test_the_command_loads_a_file_with_a_field_mapping(db, capsys):
    AdminArea.objects.filter(pcode__startswith="HT0111-").delete()
    call_command(
        "load_boundaries",
        str(PAP_SECTIONS),
        "--level=section",
        "--field=pcode=ADM3_PCODE",
        "--field=name_fr=ADM3_FR",
        "--field=name_ht=ADM3_HT",
        "--field=parent=ADM2_PCODE",
    )
    assert "3 created, 0 updated" in capsys.readouterr().out
    section = AdminArea.objects.get(pcode="HT0111-01")
    assert (section.level, section.parent_pcode) == ("section", "HT0111")


def test_the_command_refuses_an_unknown_dataset(db):
    with pytest.raises(CommandError, match="unknown data set 'nope'"):
        call_command("load_boundaries", "--dataset=nope")


def test_population_csv_with_a_bad_number_names_the_line(haiti, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("pcode,population\nHT01,12\nHT02,lots\n")
    with pytest.raises(PopulationImportError, match="line 3: population 'lots'"):
        load_population(path=path, source="test", year=2020)
    assert AdminArea.objects.get(pcode="HT01").population != 12


def test_population_csv_without_the_columns_is_refused(haiti, tmp_path):
    path = tmp_path / "pop.csv"
    path.write_text("code,people\nHT01,12\n")
    with pytest.raises(PopulationImportError, match="missing column"):
        load_population(path=path, source="test", year=2020)
