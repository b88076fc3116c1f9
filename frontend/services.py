"""Loading the place-name gazetteer (a GeoJSON of points) into `Place`."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from frontend.models import Place
from frontend.text import fold
from layers.geometry import GeometryError, point


class PlacesError(Exception):
    """The gazetteer file cannot be read or holds a feature we cannot use."""


@dataclass
class PlacesReport:
    created: int = 0
    updated: int = 0


def _feature_values(feature: dict, dataset: str) -> dict:
    props = feature.get("properties") or {}
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point" or not props.get("geonameid") or not props.get("name"):
        raise PlacesError(
            f"feature {props.get('geonameid')!r}: a Point with geonameid and name is required"
        )
    lon, lat = geometry["coordinates"][:2]
    try:
        location = point(float(lon), float(lat))
    except (GeometryError, TypeError, ValueError) as exc:
        raise PlacesError(f"feature {props['geonameid']}: {exc}") from exc
    alternates = props.get("alternatenames") or ""
    return {
        "name": props["name"],
        "alternate_names": alternates,
        "search_text": fold(f"{props['name']}|{alternates}"),
        "population": int(props.get("population") or 0),
        "admin1code": str(props.get("admin1code") or ""),
        "location": location,
        "dataset": dataset,
    }


def load_places(*, path: Path, dataset: str) -> PlacesReport:
    """Create or update every place of the file, in one transaction."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PlacesError(f"{path}: {exc}") from exc
    if data.get("type") != "FeatureCollection":
        raise PlacesError(f"{path}: not a GeoJSON FeatureCollection")
    report = PlacesReport()
    with transaction.atomic():
        for feature in data.get("features", []):
            values = _feature_values(feature, dataset)
            _, created = Place.objects.update_or_create(
                geonameid=int(feature["properties"]["geonameid"]), defaults=values
            )
            if created:
                report.created += 1
            else:
                report.updated += 1
    return report
