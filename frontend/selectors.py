"""Reads for the frontend: the place search (our areas and the gazetteer) and the public
figures of the transparency page."""

from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models.functions import Coalesce

from frontend.search_sources import (
    basemap_candidates,
    feature_candidates,
    metres,
    place_candidates,
)
from frontend.text import fold
from geoportal.sql import fetch_dicts, sql_file
from layers.models import AdminArea
from layers.selectors.areas import same_pcode_ids
from layers.selectors.generations import areas_of, current_generation_id
from reports.workflow import FIXED, OPEN

SEARCH_LEVELS = ("departement", "commune", "section")


@lru_cache(maxsize=2)
def _area_index(generation_id: int | None) -> tuple[tuple[str, str, str, float, float], ...]:
    """(folded names, pcode, level, lon, lat of a point inside) of every searchable area of
    a generation: 760 rows, kept in memory per generation (a new one is searched at once)."""
    rows = (
        AdminArea.objects.filter(generation_id=generation_id)
        .filter(level__in=SEARCH_LEVELS)
        .annotate(inside=PointOnSurface(Coalesce("geom_low", "geom")))
        .values_list("pcode", "level", "inside", "name_fr", "name_ht", "name_en")
    )
    return tuple(
        (fold("|".join(n for n in names if n)), pcode, level, inside.x, inside.y)
        for pcode, level, inside, *names in rows
    )


def _rank(folded_names: str, query: str) -> int:
    """0: a name is the query; 1: a name or one of its words starts with it; 2: inside."""
    names = folded_names.split("|")
    if query in names:
        return 0
    if any(name.startswith(query) or f" {query}" in name for name in names):
        return 1
    return 2


def _area_results(q: str, lang: str, hits: list[tuple]) -> list[dict]:
    wanted = areas_of().filter(pcode__in=[hit[-1] for hit in hits]).select_related("parent")
    areas = {area.pcode: area for area in wanted}
    results = []
    for *_, pcode in hits:
        area = areas[pcode]
        centre = area.geom_low.point_on_surface if area.geom_low else area.geom.point_on_surface
        xmin, ymin, xmax, ymax = (area.geom_low or area.geom).extent
        parent = area.parent
        results.append(
            {
                "kind": "area",
                "id": area.pcode,
                "level": area.level,
                "name": getattr(area, f"name_{lang}") or area.name_fr,
                "context": (getattr(parent, f"name_{lang}") or parent.name_fr) if parent else "",
                "lon": round(centre.x, 5),
                "lat": round(centre.y, 5),
                "bbox": [round(v, 5) for v in (xmin, ymin, xmax, ymax)],
            }
        )
    return results


def _distance(result: dict, near: tuple[float, float]) -> float:
    """Metres from `near` to the result; 0 inside an area's bounding box."""
    bbox = result.get("bbox")
    if bbox and bbox[0] <= near[0] <= bbox[2] and bbox[1] <= near[1] <= bbox[3]:
        return 0.0
    return metres(near[0], near[1], result["lon"], result["lat"])


def search_places(
    *, query: str, lang: str, limit: int = 10, near: tuple[float, float] | None = None
) -> list[dict]:
    """Areas, the local basemap's streets, neighbourhoods and landmarks, named
    infrastructure features and gazetteer places whose name contains the query (accents,
    case and hyphens ignored). With `near` (lon, lat: the map's view) the best matches
    (a name that is or starts with the query) come first, nearest first, then the rest by
    distance; without it areas come first (exact, prefix, inside), then the others."""
    q = fold(query)
    if len(q) < 2:
        return []
    index = [row for row in _area_index(current_generation_id()) if q in row[0]]
    if near:
        index.sort(key=lambda row: (_rank(row[0], q), metres(*near, row[3], row[4])))
    else:
        index.sort(key=lambda row: (_rank(row[0], q), row[2] != "commune", row[1]))
    pool = 3 * limit if near else limit
    results = _area_results(q, lang, [(row[1],) for row in index[:pool]])
    others = [
        *basemap_candidates(q, near, pool),
        *feature_candidates(q, near, pool),
        *place_candidates(q, near, pool),
    ]
    if not near:
        return (results + others)[:limit]
    candidates = results + others
    for result in candidates:
        result["distance_m"] = round(_distance(result, near))
    candidates.sort(key=lambda r: (_rank(fold(r["name"]), q) > 1, r["distance_m"]))
    return candidates[:limit]


def clear_area_index() -> None:
    _area_index.cache_clear()


SQL_DIR = Path(__file__).resolve().parent / "sql"


def report_stats(
    *,
    area: AdminArea | None,
    category: str | None,
    date_from: date | None,
    date_to: date | None,
    period: str,
    lang: str,
    jurisdiction: int | None = None,
) -> dict:
    """Public, aggregated figures: per category (reports, open, fixed, median hours to
    fix) and per period (made, fixed), of one jurisdiction or all. Nothing about any one
    reporter."""
    params = {
        "jurisdiction": jurisdiction,
        # Reports keep the areas they were filed in: the P-code in every generation.
        "area": same_pcode_ids(area) if area else None,
        "category": category,
        "date_from": date_from,
        "date_to": date_to,
        "open": [str(s) for s in OPEN],
        "fixed": [str(s) for s in FIXED],
        "fixed_states": [str(s) for s in FIXED],
        "period": period,
        "tz": settings.TIME_ZONE,
    }
    by_category = [
        {
            "code": row["code"],
            "name": row[f"name_{lang}"] or row["name_fr"],
            "reports": row["reports"],
            "open": row["open"],
            "fixed": row["fixed"],
            "median_hours_to_fix": _round(row["median_hours_to_fix"]),
        }
        for row in fetch_dicts(sql_file(SQL_DIR / "stats_by_category.sql"), params)
        if category in (None, row["code"])
    ]
    over_time = [
        {"period": row["period"].isoformat(), "reports": row["reports"], "fixed": row["fixed"]}
        for row in fetch_dicts(sql_file(SQL_DIR / "stats_over_time.sql"), params)
    ]
    return {"by_category": by_category, "over_time": over_time, "period": period}


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)
