"""Offset pages for plain JSON lists (the GeoJSON ones have theirs in layers.api.geojson):
`limit` bounded, `offset` bounded, and `next`/`previous` links that keep the filters."""

from geoportal.params import query_int
from layers.api.geojson import page_url

OFFSET_MAX = 1_000_000


def page_window(params, *, default: int, maximum: int) -> tuple[int, int]:
    """(limit, offset) from the query string; a 400 naming the parameter when out of range."""
    limit = query_int(params, "limit", minimum=1, maximum=maximum, default=default)
    offset = query_int(params, "offset", minimum=0, maximum=OFFSET_MAX, default=0)
    return limit, offset


def paged(request, *, count: int, limit: int, offset: int, results: list) -> dict:
    more = offset + limit < count
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "next": page_url(request, offset=offset + limit, limit=limit) if more else None,
        "previous": (
            page_url(request, offset=max(offset - limit, 0), limit=limit) if offset else None
        ),
        "results": results,
    }
