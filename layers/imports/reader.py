"""Reads a staged source with OGR (pyogrio) in batches of rows, in EPSG:4326.

The whole file is never held in memory: `Source.batches()` streams Arrow record batches
from GDAL (`pyogrio.raw.open_arrow`), so a large file costs one batch of rows at a time."""

import warnings
from collections.abc import Iterator
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError
from shapely.geometry.base import BaseGeometry

from layers import conf
from layers.imports import ImportFailed
from layers.imports.encodings import gdal_encoding
from layers.imports.staging import TEXT_KINDS, Staged

# CSV: the columns that hold coordinates (GDAL's own open options do the parsing).
CSV_OPTIONS = {
    "X_POSSIBLE_NAMES": "lon,lng,long,longitude,x",
    "Y_POSSIBLE_NAMES": "lat,latitude,y",
    "KEEP_GEOM_COLUMNS": "NO",
    "AUTODETECT_TYPE": "YES",
    "EMPTY_STRING_AS_NULL": "YES",
}
pyogrio.set_gdal_config_options(
    {
        "GDAL_HTTP_MAX_RETRY": "0",
        "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".none",
        "GDAL_HTTP_TIMEOUT": "1",
        "OGR_GEOJSON_MAX_OBJ_SIZE": "0",
    }
)
# pandas-style dtype kind of each OGR field type, as `read_info` reports them.
KIND_OF_DTYPE = {"i": "i", "u": "u", "f": "f", "b": "b", "M": "M"}


@dataclass
class Batch:
    records: list[dict]
    geometries: list[BaseGeometry | None]


@dataclass
class Source:
    """An opened source: its fields (name -> dtype kind), row count and CRS; rows come
    from `batches()`."""

    path: str
    name: str
    kind: str
    layer: str | int
    fields: dict[str, str]
    rows: int
    crs: str | None
    encoding: str | None
    options: dict
    batch_rows: int

    def batches(self) -> Iterator[Batch]:
        read = 0
        try:
            with (
                warnings.catch_warnings(),
                pyogrio.raw.open_arrow(
                    self.path,
                    layer=self.layer,
                    encoding=self.encoding,
                    batch_size=self.batch_rows,
                    use_pyarrow=True,
                    **self.options,
                ) as (meta, reader),
            ):
                warnings.simplefilter("ignore", RuntimeWarning)
                geometry_column = meta["geometry_name"] or "wkb_geometry"
                for record_batch in reader:
                    read += record_batch.num_rows
                    if read > conf.import_max_rows():
                        raise ImportFailed(
                            f"{self.name}: more than the limit of {conf.import_max_rows()} rows"
                        )
                    yield self._batch(record_batch, geometry_column)
        except UnicodeDecodeError as exc:
            raise self._encoding_error(exc) from None
        except (DataSourceError, DataLayerError, ValueError) as exc:
            if isinstance(exc.__cause__, UnicodeDecodeError):
                raise self._encoding_error(exc.__cause__) from None
            raise ImportFailed(f"{self.name}: cannot be read as {self.kind} ({exc})") from exc

    def _batch(self, record_batch, geometry_column: str) -> Batch:
        columns = [c for c in record_batch.schema.names if c != geometry_column]
        try:
            records = record_batch.select(columns).to_pylist()
        except Exception as exc:  # pyarrow reports bad text as ArrowInvalid
            if "utf8" in str(exc).lower() or "utf-8" in str(exc).lower():
                raise self._encoding_error(exc) from None
            raise
        wkb = record_batch.column(geometry_column).to_numpy(zero_copy_only=False)
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        return Batch(records=records, geometries=self._to_wgs84(geoms))

    def _to_wgs84(self, geoms: np.ndarray) -> list[BaseGeometry | None]:
        if self.crs is None or self.crs == "EPSG:4326":
            return list(geoms)
        try:
            series = gpd.GeoSeries(geoms, crs=self.crs).to_crs(epsg=4326)
        except Exception as exc:  # pyproj raises several unrelated types
            raise ImportFailed(f"{self.name}: cannot reproject from {self.crs}: {exc}") from exc
        return list(series)

    def _encoding_error(self, exc) -> ImportFailed:
        where = f" at byte {exc.start}" if isinstance(exc, UnicodeDecodeError) else ""
        return ImportFailed(
            f"{self.name}: text is not valid {self.encoding or 'UTF-8'}{where}; "
            "say the file's encoding, e.g. encoding=latin-1"
        )


def open_source(
    staged: Staged, *, name: str, layer: str | None, encoding: str | None, srid: int | None
) -> Source:
    """Opens the staged file and reads its description only (no rows yet)."""
    path = str(staged.path)
    options = CSV_OPTIONS if staged.kind == "csv" else {}
    source_layer = pick_layer(path, name, layer)
    try:
        info = pyogrio.read_info(path, layer=source_layer, **options)
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFailed(f"{name}: not a readable {staged.kind} file ({exc})") from exc
    if info["features"] > conf.import_max_rows():
        raise ImportFailed(
            f"{name}: {info['features']} rows is more than the limit of {conf.import_max_rows()}"
        )
    if staged.kind in TEXT_KINDS:
        encoding = None  # staging re-encoded it to UTF-8 already
    elif encoding:
        encoding = gdal_encoding(encoding)
    if (
        staged.kind == "shapefile"
        and not encoding
        and not (staged.path.with_suffix(".cpg")).exists()
    ):
        encoding = "UTF-8"  # no .cpg: insist on UTF-8 rather than guess Latin-1 silently
    if not info.get("geometry_type"):
        if staged.kind == "csv":
            raise ImportFailed(
                f"{name}: no coordinate columns; name them lon and lat (or longitude/latitude,"
                f" x/y); its columns: {', '.join(map(str, info['fields']))}"
            )
        raise ImportFailed(f"{name}: has no geometry")
    fields = {
        field: KIND_OF_DTYPE.get(np.dtype(dtype).kind, "O")
        for field, dtype in zip(info["fields"], info["dtypes"], strict=True)
    }
    return Source(
        path=path,
        name=name,
        kind=staged.kind,
        layer=source_layer,
        fields=fields,
        rows=max(info["features"], 0),
        crs=source_crs(info["crs"], name=name, kind=staged.kind, srid=srid),
        encoding=encoding,
        options=options,
        batch_rows=conf.import_batch_rows(),
    )


def pick_layer(path: str, name: str, layer: str | None) -> str | int:
    try:
        names = [row[0] for row in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError) as exc:
        raise ImportFailed(f"{name}: not a readable GIS file ({exc})") from exc
    if layer:
        if layer not in names:
            raise ImportFailed(f"{name}: no layer {layer!r}; layers: {', '.join(names)}")
        return layer
    if len(names) != 1:
        raise ImportFailed(f"{name}: has layers {', '.join(names)}; say which one (layer=...)")
    return 0


def source_crs(crs: str | None, *, name: str, kind: str, srid: int | None) -> str:
    """The CRS rows are read in: `srid` if given, else the file's, else WGS84 for CSV."""
    if srid:
        return f"EPSG:{srid}"
    if crs is None:
        if kind != "csv":
            raise ImportFailed(
                f"{name}: the coordinate system is unknown; say its EPSG code (srid=...)"
            )
        return "EPSG:4326"  # CSV lat/lon columns are WGS84 unless told
    return crs
