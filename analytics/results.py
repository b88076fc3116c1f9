"""The result of an analysis and its downloads: GeoJSON, CSV and GeoPackage.

Rows are plain dicts (the properties) with one GeoJSON geometry each; the same object
is rendered by the API and written by the management commands."""

import csv
import io
import json
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

FORMATS = ("geojson", "csv", "gpkg")
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "gpkg": "application/geopackage+sqlite3",
}


@dataclass
class Result:
    name: str
    rows: list[dict]
    geometries: list[dict | None]
    meta: dict = field(default_factory=dict)

    def features(self) -> list[dict]:
        return [
            {"type": "Feature", "geometry": geom, "properties": row}
            for row, geom in zip(self.rows, self.geometries, strict=True)
        ]


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_geojson(result: Result) -> bytes:
    body = {"type": "FeatureCollection", "meta": result.meta, "features": result.features()}
    return json.dumps(body, default=_plain, ensure_ascii=False).encode()


def _columns(result: Result) -> list[str]:
    columns: list[str] = []
    for row in result.rows:
        columns += [key for key in row if key not in columns]
    return columns


def _cell(value):
    value = _plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    return "" if value is None else value


def to_csv(result: Result) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = _columns(result)
    writer.writerow(columns)
    for row in result.rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue().encode("utf-8")


def to_gpkg(result: Result) -> bytes:
    import geopandas as gpd
    import shapely

    columns = _columns(result)
    data = {column: [_gpkg_value(row.get(column)) for row in result.rows] for column in columns}
    geoms = [shapely.geometry.shape(g) if g else None for g in result.geometries]
    frame = gpd.GeoDataFrame(data, geometry=gpd.GeoSeries(geoms, crs="EPSG:4326"))
    types = {g.geom_type for g in geoms if g is not None}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{result.name}.gpkg"
        options = {} if len(types) == 1 else {"geometry_type": "Unknown"}
        frame.to_file(path, layer=result.name, driver="GPKG", engine="pyogrio", **options)
        return path.read_bytes()


def _gpkg_value(value):
    value = _plain(value)
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    return value


def render(result: Result, fmt: str) -> bytes:
    return {"geojson": to_geojson, "csv": to_csv, "gpkg": to_gpkg}[fmt](result)
