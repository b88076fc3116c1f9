"""The local basemap as the vector tile source "basemap" (/tiles/basemap/{z}/{x}/{y}.pbf),
one MVT layer `basemap` with `kind`, `class` and `name`, styled by frontend/js/basemap.js."""

from pathlib import Path

from geoportal.sql import fetch_dicts, sql_file
from layers.tiles.registry import TileSource

SQL = Path(__file__).resolve().parent / "sql" / "basemap_tile.sql"
FIELDS = {"kind": "String", "class": "String", "name": "String"}
ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


def basemap_version() -> str:
    """Changes on every load: a load replaces every row (new ids)."""
    row = fetch_dicts("SELECT count(*) AS n, max(id) AS last FROM basemap_basemapfeature")[0]
    return f"{row['n']}-{row['last'] or 0}"


def basemap_extent() -> list[float] | None:
    row = fetch_dicts(
        "SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n"
        " FROM (SELECT ST_Extent(geom) AS e FROM basemap_basemapfeature) x"
    )[0]
    return None if row["w"] is None else [round(row[k], 6) for k in ("w", "s", "e", "n")]


def basemap_tile_source() -> TileSource:
    return TileSource(
        name="basemap",
        title="Local basemap",
        description="Roads, buildings, landmarks, water and places from an OpenStreetMap extract.",
        sql=sql_file(SQL),
        version=basemap_version,
        fields=FIELDS,
        columns=tuple(FIELDS),
        srid=4326,
        attribution=ATTRIBUTION,
        extent=basemap_extent,
    )
