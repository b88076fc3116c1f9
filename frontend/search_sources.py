"""The place search's other sources, besides our areas: the local basemap's streets,
neighbourhoods and landmarks (an OpenStreetMap extract), named features of the public
infrastructure layers (schools, ...) and the gazetteer. Each gives candidates as dicts
with `lon`/`lat`; with a point `near`, the nearest first."""

from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point

from frontend.labels import LAYER_TITLES
from frontend.models import Place
from frontend.text import fold
from geoportal.sql import fetch_dicts
from layers.models import Layer

NAME_KEYS = ("name", "name_fr", "name_ht", "name_en")
BASEMAP_LEVELS = {"road": "street", "place": "neighbourhood", "landmark": "landmark"}
# One row per street name (a street is many OSM ways): the nearest way of each name.
BASEMAP_SQL = """
    SELECT * FROM (
        SELECT DISTINCT ON (kind, name) id, kind, category, name,
               ST_X(p) AS lon, ST_Y(p) AS lat, d
        FROM (SELECT id, kind, category, name, ST_PointOnSurface(geom) AS p,
                     CASE WHEN %(lon)s::float8 IS NULL THEN 0
                          ELSE geom::geography <-> ST_MakePoint(%(lon)s, %(lat)s)::geography
                     END AS d
              FROM basemap_basemapfeature
              WHERE kind IN ('road', 'place', 'landmark') AND search_text LIKE %(pattern)s) f
        ORDER BY kind, name, d
    ) named ORDER BY d, name LIMIT %(limit)s
"""


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance (haversine, spherical Earth): enough to rank by."""
    dlon, dlat = radians(lon2 - lon1), radians(lat2 - lat1)
    a = sin(dlat / 2) ** 2 + cos(radians(lat1)) * cos(radians(lat2)) * sin(dlon / 2) ** 2
    return 2 * 6_371_000 * asin(sqrt(a))


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def basemap_candidates(q: str, near: tuple[float, float] | None, limit: int) -> list[dict]:
    lon, lat = near or (None, None)
    rows = fetch_dicts(BASEMAP_SQL, {"pattern": _like(q), "lon": lon, "lat": lat, "limit": limit})
    return [
        {
            "kind": BASEMAP_LEVELS[row["kind"]],
            "id": f"osm-{row['id']}",
            "level": BASEMAP_LEVELS[row["kind"]],
            "name": row["name"],
            "context": "",
            "lon": round(row["lon"], 6),
            "lat": round(row["lat"], 6),
            "bbox": None,
        }
        for row in rows
    ]


@lru_cache(maxsize=2)
def _feature_index(versions: tuple) -> tuple[tuple[str, str, int, str, float, float], ...]:
    """(folded names, layer slug, feature id, name, lon, lat) of every named feature of the
    public layers, kept in memory until a layer's version changes."""
    rows = fetch_dicts(
        """
        SELECT l.slug, f.id, f.attributes->>'name' AS name, f.attributes->>'name_fr' AS name_fr,
               f.attributes->>'name_ht' AS name_ht, f.attributes->>'name_en' AS name_en,
               ST_X(ST_PointOnSurface(f.geom)) AS lon, ST_Y(ST_PointOnSurface(f.geom)) AS lat
        FROM layers_feature f JOIN layers_layer l ON l.id = f.layer_id
        WHERE l.visibility = 'public' AND f.attributes ?| %(keys)s
        """,
        {"keys": list(NAME_KEYS)},
    )
    index = []
    for row in rows:
        names = [row[key] for key in NAME_KEYS if row[key]]
        if names:
            index.append(
                (fold("|".join(names)), row["slug"], row["id"], names[0], row["lon"], row["lat"])
            )
    return tuple(index)


def feature_candidates(q: str, near: tuple[float, float] | None, limit: int) -> list[dict]:
    versions = tuple(Layer.objects.order_by("id").values_list("id", "version", "visibility"))
    hits = [row for row in _feature_index(versions) if q in row[0]]
    if near:
        hits.sort(key=lambda row: metres(near[0], near[1], row[4], row[5]))
    titles = {slug: str(title) for slug, title in LAYER_TITLES.items()}
    layer_titles = dict(Layer.objects.values_list("slug", "title"))
    return [
        {
            "kind": "feature",
            "id": f"{slug}-{feature_id}",
            "level": "feature",
            "name": name,
            "context": titles.get(slug) or layer_titles.get(slug, slug),
            "lon": round(lon, 6),
            "lat": round(lat, 6),
            "bbox": None,
        }
        for _, slug, feature_id, name, lon, lat in hits[:limit]
    ]


def place_candidates(q: str, near: tuple[float, float] | None, limit: int) -> list[dict]:
    places = Place.objects.filter(search_text__contains=q)
    if near:
        places = places.annotate(d=Distance("location", Point(*near, srid=4326))).order_by("d")
    return [
        {
            "kind": "place",
            "id": str(place.geonameid),
            "level": "place",
            "name": place.name,
            "context": "",
            "lon": place.location.x,
            "lat": place.location.y,
            "bbox": None,
            "population": place.population,
        }
        for place in places[:limit]
    ]


def clear_feature_index() -> None:
    _feature_index.cache_clear()
