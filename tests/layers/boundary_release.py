"""A second boundary release made from the real COD-AB GeoPackage, for generation tests:
the commune of Port-au-Prince renamed, a piece of Delmas' section 1 (St Martin) moved into
Port-au-Prince's section 1 (Turgeau) — in both the section and the commune files — and
Port-au-Prince's section 3 (Martissant) split in two new sections. Written as GeoJSON to
a temporary folder; the changed shapes are kept for independent checks with shapely."""

import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from django.conf import settings
from django.contrib.gis.gdal import DataSource
from shapely.geometry import box, mapping

GPKG = Path(settings.KOMIN_DATA_DIR) / "haiti" / "boundaries" / "hti_cod_ab_cnigs_20181129.gpkg"
RENAMED = ("HT0111", "Pòtoprens")
GAINER, LOSER = "HT0111-01", "HT0112-01"  # sections on both sides of the moved border
SPLIT, WEST, EAST = "HT0111-03", "HT0111-04", "HT0111-05"
COMMUNE_FIELDS = {
    "pcode": "ADM2_PCODE",
    "name_fr": "ADM2_FR",
    "name_ht": "ADM2_HT",
    "name_en": "ADM2_EN",
    "parent": "ADM1_PCODE",
}
SECTION_FIELDS = {
    "pcode": "ADM3_PCODE",
    "name_fr": "ADM3_FR",
    "name_ht": "ADM3_HT",
    "name_en": "ADM3_EN",
    "parent": "ADM2_PCODE",
}


@dataclass
class Release:
    communes: Path
    sections: Path
    old: dict[str, shapely.Geometry]  # first release, by P-code (changed areas)
    new: dict[str, shapely.Geometry]  # second release, by P-code (changed areas)
    moved: shapely.Geometry  # the piece of land that changed commune
    moved_point: tuple[float, float]  # lon, lat inside it
    split_west_point: tuple[float, float]  # lon, lat in the west half of the split section


def _read(layer_name: str, fields: dict[str, str]) -> list[dict]:
    layer = DataSource(str(GPKG))[layer_name]
    return [
        {
            "properties": {name: feature.get(name) for name in fields.values()},
            "geometry": shapely.from_wkb(bytes(feature.geom.wkb)),
        }
        for feature in layer
    ]


def _by_pcode(rows: list[dict], field: str) -> dict[str, dict]:
    return {row["properties"][field]: row for row in rows}


def _write(path: Path, rows: list[dict]) -> Path:
    features = [
        {"type": "Feature", "properties": row["properties"], "geometry": mapping(row["geometry"])}
        for row in rows
    ]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def make_release(folder: Path) -> Release:
    communes = _read("adm2", COMMUNE_FIELDS)
    sections = _read("adm3", SECTION_FIELDS)
    commune = _by_pcode(communes, "ADM2_PCODE")
    section = _by_pcode(sections, "ADM3_PCODE")
    old = {
        code: rows[code]["geometry"]
        for rows, codes in ((commune, ("HT0111", "HT0112")), (section, (GAINER, LOSER, SPLIT)))
        for code in codes
    }

    # A disc of about 500 m around the middle of the shared border, cut from Delmas.
    border = shapely.line_merge(old[GAINER].boundary.intersection(old[LOSER].boundary))
    longest = max(getattr(border, "geoms", [border]), key=lambda line: line.length)
    centre = longest.interpolate(0.5, normalized=True)
    moved = old[LOSER].intersection(centre.buffer(0.005))
    for rows, gainer, loser in ((section, GAINER, LOSER), (commune, "HT0111", "HT0112")):
        rows[gainer]["geometry"] = rows[gainer]["geometry"].union(moved)
        rows[loser]["geometry"] = rows[loser]["geometry"].difference(moved)
    commune["HT0111"]["properties"]["ADM2_FR"] = RENAMED[1]

    split = section.pop(SPLIT)
    xmin, ymin, xmax, ymax = split["geometry"].bounds
    middle = split["geometry"].centroid.x
    halves = {
        WEST: split["geometry"].intersection(box(xmin - 1, ymin - 1, middle, ymax + 1)),
        EAST: split["geometry"].intersection(box(middle, ymin - 1, xmax + 1, ymax + 1)),
    }
    for code, shape in halves.items():
        side = "Ouest" if code == WEST else "Est"
        props = {**split["properties"], "ADM3_PCODE": code}
        props["ADM3_FR"] = f"Section Martissant {side}"
        section[code] = {"properties": props, "geometry": shape}

    new = {code: commune[code]["geometry"] for code in ("HT0111", "HT0112")}
    new.update({code: section[code]["geometry"] for code in (GAINER, LOSER, WEST, EAST)})
    inside = moved.representative_point()
    west = halves[WEST].representative_point()
    return Release(
        communes=_write(folder / "communes_2026.geojson", list(commune.values())),
        sections=_write(folder / "sections_2026.geojson", list(section.values())),
        old=old,
        new=new,
        moved=moved,
        moved_point=(inside.x, inside.y),
        split_west_point=(west.x, west.y),
    )


TEST_SOURCE = "test-2026"


def drop_generation(generation_id: int, *, back_to: int) -> None:
    """Removes a (current) test generation committed by a module fixture: features go
    back to the areas of `back_to`, then the generation's areas and pieces are deleted
    (allowed: it is the current one)."""
    from django.db import connection

    from layers.services.features import assign_areas

    assign_areas(layer_id=None, generation_id=back_to)
    with connection.cursor() as cursor:
        gone = "(SELECT id FROM layers_adminarea WHERE generation_id = %(g)s)"
        for table, column in (
            ("reports_report", "section_id"),
            ("reports_report", "commune_id"),
            ("reports_report", "departement_id"),
            ("layers_feature", "area_id"),
        ):
            sql = f"UPDATE {table} SET {column} = NULL WHERE {column} IN {gone}"
            cursor.execute(sql, {"g": generation_id})
        for table in ("reports_routingrule", "reports_subscription"):
            cursor.execute(f"DELETE FROM {table} WHERE area_id IN {gone}", {"g": generation_id})
        cursor.execute(
            "DELETE FROM layers_adminareapart WHERE generation_id = %(g)s", {"g": generation_id}
        )
        cursor.execute(
            "UPDATE layers_adminarea SET parent_id = NULL WHERE generation_id = %(g)s",
            {"g": generation_id},
        )
        cursor.execute(
            "DELETE FROM layers_adminarea WHERE generation_id = %(g)s", {"g": generation_id}
        )
        cursor.execute(
            "DELETE FROM layers_boundarygeneration WHERE id = %(g)s", {"g": generation_id}
        )


def drop_leftover_test_generations() -> None:
    """A run that was killed may have left its test generation committed (the test
    database is reused): remove it, newest first, so that Haiti's is current again."""
    from layers.models import BoundaryGeneration

    leftovers = BoundaryGeneration.objects.filter(source=TEST_SOURCE).order_by("-id")
    for generation in leftovers:
        previous = BoundaryGeneration.objects.filter(pk__lt=generation.pk).order_by("-id").first()
        drop_generation(generation.pk, back_to=previous.pk)
