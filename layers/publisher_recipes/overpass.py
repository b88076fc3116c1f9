"""OpenStreetMap schools of one commune from the Overpass API: amenity=school|college in
the commune's bounding box, kept when inside the commune's COD-AB polygon, as GeoJSON
points (ways and relations at their centre) with the tags Komin imports, osm_id and
osm_type. OSM changes every minute: checked are the answer's form, the amenity of every
feature, the count in range, every point inside the commune."""

import json
from pathlib import Path
from urllib.parse import urlencode

from django.contrib.gis.geos import Point

from layers.publisher_recipes.common import (
    Made,
    SourceError,
    boundary_geometry,
    download,
    in_range,
    write_geojson,
)

TAGS = (
    "name",
    "name:en",
    "amenity",
    "building",
    "operator:type",
    "capacity:persons",
    "addr:full",
    "addr:city",
    "source",
    "name:fr",
    "name:ht",
)


def query(extent, amenities: list[str]) -> str:
    west, south, east, north = extent
    pattern = "|".join(amenities)
    return (
        f'[out:json][timeout:120];nwr["amenity"~"^({pattern})$"]'
        f"({south:.5f},{west:.5f},{north:.5f},{east:.5f});out center tags;"
    )


def make(want, recipe: dict, scratch: Path) -> Made:
    commune = boundary_geometry(recipe["boundaries"], "commune", recipe["pcode"])
    made = Made(path=scratch / want.name)
    url = f"{recipe['api']}?{urlencode({'data': query(commune.extent, recipe['amenities'])})}"
    answer_path = scratch / "overpass.json"
    made.sources.append(download(url, answer_path))
    features = []
    for element in elements(answer_path):
        feature = as_feature(element, recipe["amenities"])
        if feature and commune.intersects(Point(*feature["geometry"]["coordinates"], srid=4326)):
            features.append(feature)
    features.sort(key=lambda f: (f["properties"]["osm_type"], f["properties"]["osm_id"]))
    made.checks.append(
        in_range(f"features inside {recipe['pcode']}", len(features), recipe["features"])
    )
    write_geojson(made.path, Path(want.name).stem, features)
    return made


def elements(path: Path) -> list[dict]:
    try:
        answer = json.loads(path.read_bytes())
    except ValueError as exc:
        raise SourceError(f"the Overpass answer is not JSON ({exc})") from None
    if not isinstance(answer, dict) or not isinstance(answer.get("elements"), list):
        raise SourceError("the Overpass answer has no list of elements")
    remark = str(answer.get("remark") or "")
    if "error" in remark.lower():  # Overpass reports timeouts and limits here, with HTTP 200
        raise SourceError(f"the Overpass answer is incomplete: {remark[:200]}")
    return answer["elements"]


def as_feature(element: dict, amenities: list[str]) -> dict | None:
    kind, tags = element.get("type"), element.get("tags") or {}
    if kind not in ("node", "way", "relation"):
        return None
    if tags.get("amenity") not in amenities:
        raise SourceError(f"{kind} {element.get('id')} has amenity={tags.get('amenity')!r}")
    where = element if kind == "node" else element.get("center") or {}
    try:
        lon, lat = float(where["lon"]), float(where["lat"])
        osm_id = int(element["id"])
    except (KeyError, TypeError, ValueError):
        raise SourceError(f"{kind} {element.get('id')} has no id or coordinates") from None
    properties = {tag: tags.get(tag) for tag in TAGS}
    properties |= {"osm_id": osm_id, "osm_type": f"{kind}s"}
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }
