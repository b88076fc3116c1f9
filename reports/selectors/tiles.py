"""Reports as the vector tile source "reports" (/tiles/reports/{z}/{x}/{y}.pbf)."""

from pathlib import Path

from geoportal.sql import fetch_value, sql_file
from layers.tiles.build import MAX_ZOOM, render_tile
from layers.tiles.registry import TileSource, get
from layers.tiles.sources import areas_extent
from reports.workflow import OPEN

SQL = Path(__file__).resolve().parent.parent / "sql" / "reports_tile.sql"
FIELDS = {
    "reference": "String",
    "status": "String",
    "status_group": "String",
    "category": "String",
    "created_at": "String",
    "support_count": "Number",
}


def reports_version() -> str:
    """Changes whenever a report is created, changed or hidden (indexed max)."""
    latest = fetch_value("SELECT max(updated_at) FROM reports_report")
    return latest.isoformat() if latest else "empty"


def reports_tile_source() -> TileSource:
    return TileSource(
        name="reports",
        title="Citizen reports",
        description="Public fields of citizen reports: reference, status, category, date.",
        sql=sql_file(SQL),
        version=reports_version,
        fields=FIELDS,
        columns=tuple(FIELDS),
        params={"open": sorted(OPEN)},
        min_zoom=10,
        srid=4326,
        extent=areas_extent,  # reports are refused outside the service territory
    )


def reports_tile(z: int, x: int, y: int) -> bytes:
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        raise ValueError(f"tile {z}/{x}/{y} does not exist")
    return render_tile(get("reports") or reports_tile_source(), z, x, y)
