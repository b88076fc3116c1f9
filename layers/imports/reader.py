"""Reads a staged source with OGR (pyogrio) into a GeoDataFrame in EPSG:4326."""

import warnings

import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError

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


def read(staged: Staged, *, name: str, layer: str | None, encoding: str | None, srid: int | None):
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
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            frame = pyogrio.read_dataframe(
                path, layer=source_layer, encoding=encoding, fid_as_index=True, **options
            )
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            f"{name}: text is not valid {encoding or 'UTF-8'} ({exc.reason} at byte "
            f"{exc.start}); say the file's encoding, e.g. encoding=latin-1"
        ) from None
    except (DataSourceError, DataLayerError, ValueError) as exc:
        raise ImportFailed(f"{name}: cannot be read as {staged.kind} ({exc})") from exc
    if getattr(frame, "geometry", None) is None or "geometry" not in frame.columns:
        if staged.kind == "csv":
            raise ImportFailed(
                f"{name}: no coordinate columns; name them lon and lat (or longitude/latitude,"
                f" x/y); its columns: {', '.join(map(str, frame.columns))}"
            )
        raise ImportFailed(f"{name}: has no geometry")
    return to_wgs84(frame, name=name, kind=staged.kind, srid=srid)


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


def to_wgs84(frame, *, name: str, kind: str, srid: int | None):
    if srid:
        frame = frame.set_crs(epsg=srid, allow_override=True)
    elif frame.crs is None:
        if kind != "csv":
            raise ImportFailed(
                f"{name}: the coordinate system is unknown; say its EPSG code (srid=...)"
            )
        frame = frame.set_crs(epsg=4326)  # CSV lat/lon columns are WGS84 unless told
    if frame.crs.to_epsg() != 4326:
        try:
            frame = frame.to_crs(epsg=4326)
        except Exception as exc:  # pyproj raises several unrelated types
            raise ImportFailed(f"{name}: cannot reproject from {frame.crs}: {exc}") from exc
    return frame
