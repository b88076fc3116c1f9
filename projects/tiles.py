"""Projects as the vector tile source "projects" (/tiles/projects/{z}/{x}/{y}.pbf)."""

from pathlib import Path

from geoportal.sql import fetch_value, sql_file
from layers.tiles.registry import TileSource

SQL = Path(__file__).parent / "sql" / "projects_tile.sql"
FIELDS = {
    "slug": "String",
    "title": "String",
    "sector": "String",
    "status": "String",
    "percent_complete": "Number",
    "sample": "Boolean",
}


def projects_version() -> str:
    """Changes when a project is created, changed or deleted."""
    latest, count = fetch_value(
        "SELECT ARRAY[coalesce(extract(epoch FROM max(updated_at)), 0), count(*)] "
        "FROM projects_project"
    )
    return f"{latest}-{count}"


def projects_extent() -> list[float] | None:
    box = fetch_value(
        "SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] "
        "FROM (SELECT ST_Extent(geom) AS e FROM projects_project) x"
    )
    return [round(v, 6) for v in box] if box and box[0] is not None else None


def projects_tile_source() -> TileSource:
    return TileSource(
        name="projects",
        title="Public works projects",
        description="Public works projects: title, sector, status, percent complete.",
        sql=sql_file(SQL),
        version=projects_version,
        fields=FIELDS,
        columns=tuple(FIELDS),
        min_zoom=8,
        srid=4326,
        extent=projects_extent,
    )
