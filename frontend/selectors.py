"""Reads for the frontend: the place search (our areas and the gazetteer)."""

from functools import lru_cache

from frontend.models import Place
from frontend.text import fold
from layers.models import AdminArea

SEARCH_LEVELS = ("departement", "commune", "section")


@lru_cache(maxsize=1)
def _area_index() -> tuple[tuple[str, str, str], ...]:
    """(folded names, pcode, level) of every searchable area: 760 rows, kept in memory."""
    rows = AdminArea.objects.filter(level__in=SEARCH_LEVELS).values_list(
        "pcode", "level", "name_fr", "name_ht", "name_en"
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
        for names, pcode, level in _area_index()
        if q in names
    )[:limit]
    areas = AdminArea.objects.in_bulk([pcode for *_, pcode in hits], field_name="pcode")
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
