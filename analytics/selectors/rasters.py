"""Reads on raster layers: zonal statistics per area, values at the features of a layer."""

import shapely

from analytics.models import RasterLayer
from analytics.results import Result
from analytics.selectors.common import DETAIL_COLUMNS, SQL_DIR, geometry
from analytics.selectors.zonal import zonal_stats
from analytics.services.rasters import raster_path
from geoportal.sql import fetch_dicts, sql_file
from layers.models import Layer
from layers.selectors.generations import current_generation_id

FEATURE_POINTS_SQL = """
SELECT f.id, f.external_id, coalesce(f.attributes->>'name', '') AS name, f.condition,
       ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat
FROM layers_feature f WHERE f.layer_id = %(layer)s ORDER BY f.id
"""


def raster_summary(layer: RasterLayer) -> dict:
    return {
        "slug": layer.slug, "title": layer.title, "kind": layer.kind, "unit": layer.unit,
        "description": layer.description, "width": layer.width, "height": layer.height,
        "dtype": layer.dtype, "nodata": layer.nodata, "epsg": layer.epsg,
        "pixel_width": layer.pixel_width, "pixel_height": layer.pixel_height,
        "extent": list(layer.extent.extent), "size_bytes": layer.size_bytes,
        "sha256": layer.sha256, "source": layer.source, "licence": layer.licence,
        "attribution": layer.attribution, "created_at": layer.created_at.isoformat(),
    }  # fmt: skip


def area_rows(*, level: str, area: str | None = None, detail: str = "mid") -> list[dict]:
    column, precision = DETAIL_COLUMNS[detail]
    sql = sql_file(SQL_DIR / "areas_wkb.sql").format(geom=column, precision=precision)
    return fetch_dicts(sql, {"level": level, "area": area, "generation": current_generation_id()})


def zonal_by_area(
    *, raster: RasterLayer, level: str, area: str | None = None, method: str = "exact",
    detail: str = "mid",
) -> Result:  # fmt: skip
    rows = area_rows(level=level, area=area, detail=detail)
    shapes = [shapely.from_wkb(bytes(row["wkb"])) for row in rows]
    stats = zonal_stats(raster_path(raster), shapes, method=method)
    out = [
        {
            "pcode": row["pcode"],
            "level": row["level"],
            "name_fr": row["name_fr"],
            "population": row["population"],
            **{key: _round(value) for key, value in figures.items()},
        }  # fmt: skip
        for row, figures in zip(rows, stats, strict=True)
    ]
    meta = {"analysis": "zonal", "raster": raster.slug, "unit": raster.unit, "level": level}
    meta.update(area=area, method=method, areas=len(out))
    geoms = [geometry(row["geometry"]) for row in rows]
    return Result(name=f"zonal_{raster.slug}_{level}", rows=out, geometries=geoms, meta=meta)


def sample_layer(
    *, raster: RasterLayer, layer: Layer, minimum: float | None = None,
    maximum: float | None = None,
) -> Result:  # fmt: skip
    """The raster value at each feature of a layer (a point on the surface of lines and
    polygons), optionally only features whose value lies in [minimum, maximum]."""
    from analytics.selectors.zonal import sample_points

    features = fetch_dicts(FEATURE_POINTS_SQL, {"layer": layer.pk})
    values = sample_points(raster_path(raster), [(f["lon"], f["lat"]) for f in features])
    rows, geoms = [], []
    for feature, value in zip(features, values, strict=True):
        if minimum is not None and (value is None or value < minimum):
            continue
        if maximum is not None and (value is None or value > maximum):
            continue
        rows.append(
            {
                "feature_id": feature["id"],
                "external_id": feature["external_id"],
                "name": feature["name"],
                "condition": feature["condition"],
                "value": value,
            }  # fmt: skip
        )
        geoms.append({"type": "Point", "coordinates": [feature["lon"], feature["lat"]]})
    meta = {"analysis": "sample", "raster": raster.slug, "unit": raster.unit}
    meta.update(layer=layer.slug, features=len(features), returned=len(rows))
    meta.update(min=minimum, max=maximum, no_value=sum(1 for v in values if v is None))
    return Result(name=f"sample_{raster.slug}_{layer.slug}", rows=rows, geometries=geoms, meta=meta)


def _round(value):
    return None if value is None else round(value, 6)
