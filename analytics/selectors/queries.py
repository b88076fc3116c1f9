"""Ad-hoc spatial queries: what lies in a drawn polygon or around a point."""

from collections import Counter

from django.contrib.gis.geos import GEOSGeometry, Point

from analytics.results import Result
from analytics.selectors.common import SQL_DIR, geometry, territory_sql
from geoportal.sql import fetch_dicts, sql_file
from layers.selectors.generations import current_generation_id

TYPES = ("report", "feature", "area")


def within(*, region: GEOSGeometry | None = None, centre: Point | None = None,
           distance: float | None = None, limit: int = 500,
           communes: tuple[str, ...] | None = None) -> Result:  # fmt: skip
    """Counts by type (reports by category, features by layer, areas by level) and the
    items themselves, up to `limit` of each type; with `communes`, only those of that
    territory."""
    params = {"wkt": region.wkt if region is not None else None, "limit": limit}
    params["communes"] = list(communes) if communes is not None else None
    params["generation"] = current_generation_id()
    params.update(
        lon=centre.x if centre else None, lat=centre.y if centre else None, distance=distance
    )
    sql = sql_file(SQL_DIR / "within.sql").format(territory=territory_sql())
    rows = fetch_dicts(sql, params)
    counts = {kind: Counter() for kind in TYPES}
    for row in rows:
        counts[row["type"]][row["subtype"]] += 1
    listed = [row for row in rows if row.pop("listed")]
    geoms = [geometry(row.pop("geometry")) for row in listed]
    meta = {"analysis": "within", "limit": limit}
    meta["communes"] = list(communes) if communes is not None else None
    if region is not None:
        meta["region"] = "polygon"
    else:
        meta.update(region="circle", lon=centre.x, lat=centre.y, distance_m=distance)
    meta["counts"] = {
        f"{kind}s": {"total": sum(counter.values()), "by_type": dict(sorted(counter.items()))}
        for kind, counter in counts.items()
    }
    meta["truncated"] = len(listed) < len(rows)
    return Result(name="within", rows=listed, geometries=geoms, meta=meta)
