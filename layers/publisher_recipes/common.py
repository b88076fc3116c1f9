"""What the publisher recipes share: downloads that are hashed and recorded, the COD-AB
boundaries they check against, and ogr2ogr run without a shell."""

import hashlib
import json
import shutil

# Runs ogr2ogr with an argument list, never a shell.
import subprocess  # nosec B404
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from layers.data_fetch import _copy, _open_url

OGR_TIMEOUT_SECONDS = 300
FEATURE_COLLECTION_CRS = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


class SourceError(Exception):
    """What the publisher gave is not what the recipe expects (the message says why)."""


@dataclass
class Made:
    path: Path
    sources: list[dict] = field(default_factory=list)  # url, fetched_at, sha256, bytes
    checks: list[str] = field(default_factory=list)  # what was verified, in words


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def download(url: str, target: Path) -> dict:
    """Download `url` into `target`; the record of what was fetched."""
    digest = hashlib.sha256()
    with _open_url(url) as response, open(target, "wb") as out:
        _copy(response, out, digest, target.name, None, False)
    return {
        "url": url,
        "fetched_at": now(),
        "sha256": digest.hexdigest(),
        "bytes": target.stat().st_size,
    }


def in_range(what: str, value: int, bounds: list[int]) -> str:
    low, high = bounds
    if not low <= value <= high:
        raise SourceError(f"{what}: {value}, outside the expected {low}–{high}")
    return f"{what}: {value} (expected {low}–{high})"


def boundary_files(key: str) -> dict[str, tuple[Path, dict]]:
    """level -> (verified Shapefile of that level, its field names), from the catalogue."""
    from layers.datasets import get_dataset

    dataset = get_dataset(key)
    dataset.verify()
    return {entry["level"]: (dataset.path(entry), entry["fields"]) for entry in dataset.files}


def boundary_pcodes(key: str) -> dict[str, set[str]]:
    from django.contrib.gis.gdal import DataSource

    found = {}
    for level, (path, fields) in boundary_files(key).items():
        layer = DataSource(str(path))[0]
        found[level] = {str(feature.get(fields["pcode"])) for feature in layer}
    return found


def boundary_geometry(key: str, level: str, pcode: str):
    """The GEOS geometry (EPSG:4326) of one area of the boundaries."""
    from django.contrib.gis.gdal import DataSource

    path, fields = boundary_files(key)[level]
    for feature in DataSource(str(path))[0]:
        if feature.get(fields["pcode"]) == pcode:
            return feature.geom.geos
    raise SourceError(f"the boundaries {key} have no {level} {pcode}")


def write_geojson(path: Path, name: str, features: list[dict]) -> None:
    collection = {
        "type": "FeatureCollection",
        "name": name,
        "crs": FEATURE_COLLECTION_CRS,
        "features": features,
    }
    path.write_text(json.dumps(collection, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def ogr2ogr(arguments: list[str]) -> None:
    tool = shutil.which("ogr2ogr")
    if tool is None:
        raise SourceError("ogr2ogr (Debian package gdal-bin) is not installed")
    try:
        # A fixed tool and an argument list (no shell); the SQL comes from our catalogue.
        done = subprocess.run(  # nosec B603
            [tool, *arguments],
            capture_output=True,
            text=True,
            timeout=OGR_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise SourceError(f"ogr2ogr took more than {OGR_TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        raise SourceError(f"ogr2ogr failed ({done.stderr.strip()[-300:]})")
