"""Reads for the frontend: the place search (our areas and the gazetteer) and the public
figures of the transparency page."""

from datetime import date
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from frontend.models import Place
from frontend.text import fold
from geoportal.sql import fetch_dicts, sql_file
from layers.models import AdminArea
from layers.selectors.areas import same_pcode_ids
from layers.selectors.generations import areas_of, current_generation_id
from reports.workflow import FIXED, OPEN

SEARCH_LEVELS = ("departement", "commune", "section")


@lru_cache(maxsize=2)
def _area_index(generation_id: int | None) -> tuple[tuple[str, str, str], ...]:
    """(folded names, pcode, level) of every searchable area of a generation: 760 rows,
    kept in memory per generation (a new generation is searched at once)."""
    rows = (
        AdminArea.objects.filter(generation_id=generation_id)
        .filter(level__in=SEARCH_LEVELS)
        .values_list("pcode", "level", "name_fr", "name_ht", "name_en")
    )
    return tuple(
        (fold("|".join(n for n in names if n)), pcode, level) for pcode, level, *names in rows
    )


def _rank(folded_names: str, query: str) -> int:
    names = folded_names.split("|")
    if query in names:
        return 0
    if any(name.startswith(query) for name in names):
        return 1
    return 2


def search_places(*, query: str, lang: str, limit: int = 10) -> list[dict]:
    """Areas first (exact, then prefix, then substring), then gazetteer places by size."""
    q = fold(query)
    if len(q) < 2:
        return []
    hits = sorted(
        (_rank(names, q), level != "commune", pcode)
        for names, pcode, level in _area_index(current_generation_id())
        if q in names
    )[:limit]
    wanted = areas_of().filter(pcode__in=[pcode for *_, pcode in hits]).select_related("parent")
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
    for place in Place.objects.filter(search_text__contains=q)[: max(0, limit - len(results))]:
        results.append(
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
        )
    return results


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
