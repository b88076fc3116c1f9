"""Reports as a vector tile source (wired into /tiles/reports/{z}/{x}/{y}.pbf)."""

from pathlib import Path

from geoportal.sql import fetch_value, sql_file
from reports.workflow import OPEN

SQL = Path(__file__).resolve().parent.parent / "sql" / "reports_tile.sql"
MAX_ZOOM = 22


def reports_tile(z: int, x: int, y: int) -> bytes:
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        raise ValueError(f"tile {z}/{x}/{y} does not exist")
    data = fetch_value(sql_file(SQL), {"z": z, "x": x, "y": y, "open": list(OPEN)})
    return bytes(data or b"")
