"""Zonal statistics and point sampling on a stored raster, with exactextract and rasterio.

Two ways to decide which cells belong to a zone:
- `exact` (default): every cell weighted by the fraction of it the polygon covers
  (exactextract); `count` is then a sum of fractions.
- `centre`: a cell belongs to the zone when its centre is inside, the convention of
  GDAL's rasterize, rasterstats and most desktop GIS zonal tools.
"""

from pathlib import Path

import numpy as np

STATS = ("count", "sum", "mean", "min", "max")
METHODS = ("exact", "centre")


def zonal_stats(
    raster: Path, geometries: list, *, method: str = "exact", crs="EPSG:4326"
) -> list[dict]:
    """Statistics for each shapely geometry (given in `crs`), in order. Empty or missing
    geometries, and zones with no valid cell, get count 0 and no other figure."""
    import geopandas as gpd
    import rasterio
    from exactextract import exact_extract

    empty = {"count": 0.0, "sum": None, "mean": None, "min": None, "max": None}
    present = [i for i, geom in enumerate(geometries) if geom is not None and not geom.is_empty]
    results = [dict(empty) for _ in geometries]
    if not present:
        return results
    with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"), rasterio.open(raster) as dataset:
        frame = gpd.GeoDataFrame(geometry=[geometries[i] for i in present], crs=crs)
        frame = frame.to_crs(dataset.crs)
        ops = list(STATS) if method == "exact" else ["values", "center_x", "center_y"]
        table = exact_extract(dataset, frame, ops, output="pandas")
    for position, index in enumerate(present):
        row = table.iloc[position]
        if method == "exact":
            stats = {key: _number(row[key]) for key in STATS}
        else:
            stats = _centre_stats(frame.geometry.iloc[position], row)
        if not stats["count"]:
            stats = dict(empty)
        results[index] = stats
    return results


def _centre_stats(geom, row) -> dict:
    import shapely

    values = np.asarray(row["values"], dtype=float)
    inside = shapely.contains_xy(geom, np.asarray(row["center_x"]), np.asarray(row["center_y"]))
    chosen = values[inside]
    if chosen.size == 0:
        return {"count": 0.0}
    return {
        "count": float(chosen.size),
        "sum": float(chosen.sum()),
        "mean": float(chosen.mean()),
        "min": float(chosen.min()),
        "max": float(chosen.max()),
    }


def _number(value):
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


def sample_points(raster: Path, coordinates: list[tuple[float, float]], *, crs="EPSG:4326") -> list:
    """The raster value under each (x, y) point, None outside the grid or on nodata."""
    import rasterio
    from pyproj import Transformer

    if not coordinates:
        return []
    with rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR"), rasterio.open(raster) as dataset:
        transformer = Transformer.from_crs(crs, dataset.crs, always_xy=True)
        xs, ys = transformer.transform(*zip(*coordinates, strict=True))
        values: list = [None] * len(coordinates)
        inside = []
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            row, col = dataset.index(x, y)
            if 0 <= row < dataset.height and 0 <= col < dataset.width:
                inside.append(i)
        points = [(xs[i], ys[i]) for i in inside]
        for i, sample in zip(inside, dataset.sample(points, indexes=1, masked=True), strict=True):
            value = sample[0]
            if not np.ma.is_masked(value) and not np.isnan(float(value)):
                values[i] = float(value)
        return values
