"""What changed between two boundary generations (computed in PostGIS, by P-code)."""

import json
from collections import Counter
from pathlib import Path

from geoportal.sql import fetch_dicts, sql_file
from layers.models import BoundaryGeneration
from layers.selectors.generations import describe

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
CHANGE_KINDS = ("appeared", "disappeared", "renamed", "parent_changed", "reshaped")


def generation_diff(
    *,
    old: BoundaryGeneration,
    new: BoundaryGeneration,
    level: str | None = None,
    with_geometry: bool = False,
) -> dict:
    """{"from", "to", "summary": counts per kind of change, "changes": one row per changed
    area}; with `with_geometry`, each row has a `geometry` (GeoJSON, simplified for a
    regional map: the new boundary, or the old one of an area that disappeared)."""
    sql = sql_file(SQL_DIR / "generation_diff.sql").format(
        old_geom="o.geom_high", new_geom="n.geom_high", precision=5
    )
    params = {"old": old.pk, "new": new.pk, "level": level, "with_geometry": with_geometry}
    rows = fetch_dicts(sql, params)
    summary = Counter()
    for row in rows:
        for kind in CHANGE_KINDS:
            if row["change"] == kind or row.get(kind) is True:
                summary[kind] += 1
        for key in ("old_area_km2", "new_area_km2", "area_change_km2", "area_change_percent"):
            row[key] = float(row[key]) if row[key] is not None else None
        if with_geometry:
            row["geometry"] = json.loads(row["geometry"]) if row["geometry"] else None
        else:
            row.pop("geometry")
    return {
        "from": describe(old),
        "to": describe(new),
        "level": level,
        "summary": {kind: summary[kind] for kind in CHANGE_KINDS},
        "changes": rows,
    }


def diff_feature_collection(diff: dict) -> dict:
    """The diff as GeoJSON for a map: one feature per changed area."""
    features = [
        {
            "type": "Feature",
            "id": row["pcode"],
            "geometry": row["geometry"],
            "properties": {key: value for key, value in row.items() if key != "geometry"},
        }
        for row in diff["changes"]
    ]
    meta = {key: diff[key] for key in ("from", "to", "level", "summary")}
    return {"type": "FeatureCollection", "features": features, **meta}
