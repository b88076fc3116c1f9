"""Reads of administrative areas."""

from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import DEFAULT_DB_ALIAS

from geoportal.db_router import replica_alias
from geoportal.sql import fetch_dicts, fetch_value, instance_from_row, sql_file
from layers.levels import RANK
from layers.models import AdminArea, BoundaryGeneration
from layers.selectors.generations import areas_of, generation_id

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
LOOKUP_SQL = SQL_DIR / "lookup.sql"


def geometry_for_zoom(zoom: int | None) -> tuple[str, int]:
    """The pre-simplified column and coordinate precision that suit a map zoom."""
    if zoom is None or zoom >= 13:
        return "a.geom", 6
    if zoom <= 7:
        return "a.geom_low", 4
    if zoom <= 9:
        return "a.geom_mid", 5
    return "a.geom_high", 5


def area_collection_geojson(
    *,
    level: str | None = None,
    parent: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    zoom: int | None = None,
    lang: str = "fr",
    generation: BoundaryGeneration | None = None,
) -> str:
    geom, precision = geometry_for_zoom(zoom)
    xmin, ymin, xmax, ymax = bbox or (None, None, None, None)
    sql = sql_file(SQL_DIR / "areas_geojson.sql").format(geom=geom, precision=precision)
    params = {"level": level, "parent": parent, "lang": lang}
    params["generation"] = generation_id(generation)
    params.update(xmin=xmin, ymin=ymin, xmax=xmax, ymax=ymax)
    return fetch_value(sql, params)


def areas_containing(
    *, lon: float, lat: float, generation: BoundaryGeneration | None = None
) -> list[dict]:
    """The areas of a generation (the current one by default) that contain the point,
    from the country down (the deepest last)."""
    params = {"lon": lon, "lat": lat, "generation": generation.pk if generation else None}
    rows = fetch_dicts(sql_file(LOOKUP_SQL), params)
    return sorted(rows, key=lambda row: RANK[row["level"]])


def area_from_row(row: dict) -> AdminArea:
    """An AdminArea built from a row of the lookup (its own columns, no query): any other
    column, e.g. a geometry, loads when first read."""
    return instance_from_row(AdminArea, row, replica_alias() or DEFAULT_DB_ALIAS)


def area_by_pcode(pcode: str, *, generation: BoundaryGeneration | None = None) -> AdminArea | None:
    """The area with a P-code in a generation (the current one by default)."""
    return areas_of(generation).select_related("parent", "generation").filter(pcode=pcode).first()


def parent_chain(area: AdminArea) -> list[AdminArea]:
    chain, current, seen = [], area.parent, {area.pk}
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent
    return chain


def child_pcodes(area: AdminArea) -> list[str]:
    return list(area.children.order_by("pcode").values_list("pcode", flat=True))


def area_at(point: Point, level: str) -> AdminArea | None:
    """The area of a given level of the current generation containing a point."""
    rows = [row for row in areas_containing(lon=point.x, lat=point.y) if row["level"] == level]
    return area_from_row(rows[0]) if rows else None


def same_pcode_ids(area: AdminArea) -> list[int]:
    """The ids of the areas of every generation that share this area's P-code: reports,
    subscriptions and routing rules point at the rows of the generation they were made in,
    and a P-code names the same place across generations. For an arrondissement (reports
    store the commune), the ids of its communes in every generation."""
    same = AdminArea.objects.filter(pcode=area.pcode, level=area.level)
    if area.level == "arrondissement":
        return list(AdminArea.objects.filter(parent__in=same).values_list("pk", flat=True))
    return list(same.values_list("pk", flat=True))
