"""Raster layers: a single-band GeoTIFF is validated with rasterio (only the GTiff driver
may open it, so a VRT or any other file posing as a GeoTIFF is refused), checked for
size, band count and CRS, stored under the raster folder and described by a RasterLayer.
"""

import hashlib
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.contrib.gis.geos import Polygon
from django.db import transaction
from django.utils.text import slugify

from analytics.conf import raster_dir, raster_max_bytes, raster_max_pixels
from analytics.models import RasterLayer

# Classic TIFF and BigTIFF, little- and big-endian.
TIFF_MAGIC = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
ALLOWED_DRIVERS = ("GTiff",)
NUMERIC_DTYPES = {"uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
                  "float32", "float64"}  # fmt: skip


class RasterError(ValueError):
    """The file is not an acceptable raster; the message says why. Nothing was stored."""


@dataclass(frozen=True)
class RasterInfo:
    width: int
    height: int
    dtype: str
    nodata: float | None
    crs_wkt: str
    epsg: int | None
    pixel_width: float
    pixel_height: float
    extent: Polygon


def _gdal_env():
    import rasterio

    # No sidecar files, no network: the file is read on its own.
    return rasterio.Env(GDAL_DISABLE_READDIR_ON_OPEN="EMPTY_DIR", CPL_VSIL_CURL_ALLOWED_EXTENSIONS=".none", GDAL_HTTP_MAX_RETRY="0")  # fmt: skip


def inspect_raster(path: Path) -> RasterInfo:
    """Checks a file and describes it, or raises RasterError naming the problem."""
    import rasterio
    from rasterio.errors import RasterioError
    from rasterio.warp import transform_bounds

    size = path.stat().st_size
    if size > raster_max_bytes():
        raise RasterError(f"the file is {size} bytes; the limit is {raster_max_bytes()} bytes")
    with open(path, "rb") as handle:
        if handle.read(4) not in TIFF_MAGIC:
            raise RasterError("not a GeoTIFF (the file does not start with a TIFF header)")
    try:
        with _gdal_env(), rasterio.open(path, driver="GTiff") as dataset:
            return _describe(dataset, transform_bounds)
    except RasterioError as exc:
        raise RasterError(f"not a readable GeoTIFF ({exc})") from exc


def _describe(dataset, transform_bounds) -> RasterInfo:
    if dataset.driver not in ALLOWED_DRIVERS:
        raise RasterError(f"driver {dataset.driver} is not allowed; only GeoTIFF is")
    if dataset.count != 1:
        raise RasterError(f"the raster has {dataset.count} bands; a single band is required")
    if dataset.width * dataset.height > raster_max_pixels():
        raise RasterError(
            f"{dataset.width}×{dataset.height} cells is more than {raster_max_pixels()}"
        )
    dtype = dataset.dtypes[0]
    if dtype not in NUMERIC_DTYPES:
        raise RasterError(f"cell type {dtype} is not a real number type")
    if dataset.crs is None:
        raise RasterError("the raster has no coordinate reference system")
    transform = dataset.transform
    if transform.b != 0 or transform.d != 0:
        raise RasterError("rotated grids are not supported; warp it to a north-up grid first")
    try:
        west, south, east, north = transform_bounds(dataset.crs, "EPSG:4326", *dataset.bounds)
    except Exception as exc:  # PROJ errors come in several types
        raise RasterError(f"its CRS cannot be transformed to EPSG:4326 ({exc})") from exc
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise RasterError(f"its extent is out of range: {west, south, east, north}")
    window = ((0, min(dataset.height, 1)), (0, min(dataset.width, 256)))
    dataset.read(1, window=window)  # a truncated or corrupt file fails here
    return RasterInfo(
        width=dataset.width,
        height=dataset.height,
        dtype=dtype,
        nodata=dataset.nodata,
        crs_wkt=dataset.crs.to_wkt(),
        epsg=dataset.crs.to_epsg(),
        pixel_width=abs(transform.a),
        pixel_height=abs(transform.e),
        extent=Polygon.from_bbox((west, south, east, north)),
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def raster_create(
    *,
    source: Path,
    title: str,
    slug: str | None = None,
    kind: str = RasterLayer.Kind.OTHER,
    unit: str = "",
    description: str = "",
    source_name: str = "",
    licence: str = "",
    attribution: str = "",
    uploaded_by=None,
) -> RasterLayer:
    """Validates `source`, copies it into the raster folder and records it. On any
    failure nothing is stored."""
    slug = slugify(slug or title)[:100]
    if not slug:
        raise RasterError("a title or slug is required")
    if RasterLayer.objects.filter(slug=slug).exists():
        raise RasterError(f"a raster layer {slug!r} already exists")
    if kind not in RasterLayer.Kind.values:
        raise RasterError(f"kind {kind!r} is not one of {', '.join(RasterLayer.Kind.values)}")
    folder = raster_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{slug}-{uuid.uuid4().hex[:12]}.tif"
    # Copy first, then inspect the copy: what is checked is exactly what is stored.
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as handle:
        staging = Path(handle.name)
    try:
        shutil.copyfile(source, staging)
        info = inspect_raster(staging)
        layer = RasterLayer(
            slug=slug, title=title, kind=kind, unit=unit, description=description,
            path=name, sha256=_sha256(staging), size_bytes=staging.stat().st_size,
            width=info.width, height=info.height, dtype=info.dtype, nodata=info.nodata,
            crs_wkt=info.crs_wkt, epsg=info.epsg, pixel_width=info.pixel_width,
            pixel_height=info.pixel_height, extent=info.extent, source=source_name,
            licence=licence, attribution=attribution, uploaded_by=uploaded_by,
        )  # fmt: skip
        layer.full_clean()
        with transaction.atomic():
            layer.save()
            os.replace(staging, folder / name)
        return layer
    finally:
        staging.unlink(missing_ok=True)


def raster_delete(*, layer: RasterLayer) -> None:
    path = raster_path(layer)
    with transaction.atomic():
        layer.delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


def raster_path(layer: RasterLayer) -> Path:
    return raster_dir() / layer.path
