"""Coverage gaps: who lives within reach of a facility layer, area by area, and the
nearest facilities to any point."""

import shapely

from analytics.conf import metric_srid
from analytics.models import RasterLayer
from analytics.results import Result
from analytics.selectors.common import DETAIL_COLUMNS, SQL_DIR, geometry, territory_sql
from analytics.selectors.zonal import zonal_stats
from analytics.services.rasters import raster_path
from geoportal.sql import fetch_dicts, sql_file
from layers.models import Layer
from layers.selectors.generations import current_generation_id


def coverage(
    *, layer: Layer, distance: float, level: str = "section", area: str | None = None,
    raster: RasterLayer | None = None, detail: str = "mid",
    communes: tuple[str, ...] | None = None,
) -> Result:  # fmt: skip
    """Per area: residents within `distance` metres of a facility and without, ranked
    with the most people out of reach first. Population comes from the area's figure
    (spread evenly) or, with a population raster, from the raster's cells."""
    column, precision = DETAIL_COLUMNS[detail]
    sql = sql_file(SQL_DIR / "coverage.sql").format(
        geom=column, precision=precision, territory=territory_sql()
    )
    params = {"layer": layer.pk, "distance": distance, "srid": metric_srid(), "level": level}
    params.update(area=area, with_parts=raster is not None, generation=current_generation_id())
    params["communes"] = list(communes) if communes is not None else None
    rows = fetch_dicts(sql, params)
    if raster is not None:
        _population_from_raster(rows, raster)
    out, geoms = [], []
    for row in rows:
        out.append(_coverage_row(row, raster is not None))
        geoms.append(geometry(row["geometry"]))
    order = sorted(
        range(len(out)), key=lambda i: (-(out[i]["population_out_of_reach"] or 0), out[i]["pcode"])
    )
    out = [dict(out[i], rank=rank) for rank, i in enumerate(order, start=1)]
    geoms = [geoms[i] for i in order]
    total = sum(row["population"] or 0 for row in out)
    within = sum(row["population_within"] or 0 for row in out)
    meta = {"analysis": "coverage", "layer": layer.slug, "distance_m": distance, "level": level}
    meta.update(area=area, raster=raster.slug if raster else None, srid=metric_srid())
    meta["communes"] = params["communes"]
    meta.update(population=round(total), population_within=round(within))
    meta["share_within"] = round(within / total, 4) if total else None
    # No facility of the layer in these areas and none reaching them: the layer has no
    # data here (e.g. water points surveyed in another commune), which is not 0 % covered.
    meta["facility_data"] = bool(sum(row["facilities"] or 0 for row in out) or within)
    if out and not meta["facility_data"]:
        meta["share_within"] = None
        meta["note"] = (
            f"The layer {layer.slug} has no facility in or within {distance:g} m of these"
            " areas: its coverage here is unknown, not 0 %."
        )
    return Result(name=f"coverage_{layer.slug}_{level}", rows=out, geometries=geoms, meta=meta)


def _population_from_raster(rows: list[dict], raster: RasterLayer) -> None:
    path = raster_path(raster)
    whole = zonal_stats(path, [shapely.from_wkb(bytes(row["area_wkb"])) for row in rows])
    parts = [
        shapely.from_wkb(bytes(row["covered_wkb"])) if row["covered_wkb"] else None for row in rows
    ]
    within = zonal_stats(path, parts)
    for row, total, part in zip(rows, whole, within, strict=True):
        row["raster_population"] = total["sum"] or 0.0
        row["raster_within"] = part["sum"] or 0.0


def _coverage_row(row: dict, from_raster: bool) -> dict:
    share = float(row["covered_share"] or 0)
    if from_raster:
        population = row["raster_population"]
        within = min(row["raster_within"], population)
        source = "raster"
    else:
        population = row["population"]
        within = None if population is None else population * share
        source = "area (spread evenly)"
    return {
        "pcode": row["pcode"], "level": row["level"], "name_fr": row["name_fr"],
        "parent": row["parent"], "facilities": row["facilities"],
        "area_share_within": round(share, 6),
        "population": None if population is None else round(population, 1),
        "population_within": None if within is None else round(within, 1),
        "population_out_of_reach": None if population is None else round(population - within, 1),
        "share_within": round(within / population, 6) if population else None,
        "population_source": source,
    }  # fmt: skip


def nearest(*, layer: Layer, lon: float, lat: float, limit: int = 1, max_distance=None) -> Result:
    params = {"layer": layer.pk, "lon": lon, "lat": lat, "limit": limit}
    params.update(candidates=max(limit * 5, 20), max_distance=max_distance)
    rows = fetch_dicts(sql_file(SQL_DIR / "nearest.sql"), params)
    geoms = [geometry(row.pop("geometry")) for row in rows]
    meta = {"analysis": "nearest", "layer": layer.slug, "lon": lon, "lat": lat, "limit": limit}
    meta["max_distance_m"] = max_distance
    return Result(name=f"nearest_{layer.slug}", rows=rows, geometries=geoms, meta=meta)
