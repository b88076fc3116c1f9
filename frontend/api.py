"""The two JSON endpoints of the frontend app: place search and the public figures."""

import math
from datetime import date

from django.http import JsonResponse
from django.views.decorators.cache import cache_control

from communes.selectors import jurisdiction_by_slug
from frontend.selectors import report_stats, search_places
from frontend.views import LANGS, current_language
from geoportal.api import error_response, read_only
from geoportal.limits.decorators import limited
from geoportal.limits.throttles import AnonReadThrottle
from layers.selectors.areas import area_by_pcode
from reports.models import Category

MAX_QUERY = 100


@read_only
@cache_control(public=True, max_age=300)
@limited(AnonReadThrottle)
def place_search(request):
    """GET /search/?q=&near=lon,lat|bbox=w,s,e,n: areas, streets, landmarks, named
    features and gazetteer places whose name contains q, nearest first with a point."""
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY:
        return error_response(400, "invalid", f"q: at most {MAX_QUERY} characters.")
    lang = request.GET.get("lang") or current_language()
    if lang not in LANGS:
        return error_response(400, "invalid", f"lang: one of {', '.join(LANGS)}.")
    try:
        near = _near(request.GET)
    except ValueError as exc:
        return error_response(400, "invalid", str(exc))
    results = search_places(query=query, lang=lang, near=near)
    return JsonResponse({"query": query, "results": results})


def _numbers(params, name: str, count: int) -> list[float] | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        values = [float(part) for part in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != count or not all(math.isfinite(v) for v in values):
        raise ValueError(f"{name}: {count} numbers separated by commas.")
    return values


def _near(params) -> tuple[float, float] | None:
    """The point to rank by: `near=lon,lat`, else the centre of `bbox=w,s,e,n`."""
    near = _numbers(params, "near", 2)
    if near is None:
        bbox = _numbers(params, "bbox", 4)
        if bbox is None:
            return None
        if bbox[0] > bbox[2] or bbox[1] > bbox[3]:
            raise ValueError("bbox: west,south,east,north with west <= east and south <= north.")
        near = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2]
    lon, lat = near
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError("near: longitude within ±180 and latitude within ±90.")
    return lon, lat


def _date(params, name: str) -> date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{name}: {raw!r} is not a date (YYYY-MM-DD).") from None


@read_only
@cache_control(public=True, max_age=120)
@limited(AnonReadThrottle)
def report_stats_view(request):
    """GET /stats/?area=&category=&jurisdiction=&from=&to=&period=week|month: public
    aggregated figures (of one town hall's reports with `jurisdiction`, its slug)."""
    params = request.GET
    lang = params.get("lang") or current_language()
    period = params.get("period", "month")
    if lang not in LANGS:
        return error_response(400, "invalid", f"lang: one of {', '.join(LANGS)}.")
    if period not in ("week", "month"):
        return error_response(400, "invalid", "period: week or month.")
    try:
        date_from, date_to = _date(params, "from"), _date(params, "to")
    except ValueError as exc:
        return error_response(400, "invalid", str(exc))
    area = None
    if params.get("area"):
        area = area_by_pcode(params["area"].strip())
        if area is None:
            return error_response(400, "invalid", f"area: no area with P-code {params['area']!r}.")
    category = params.get("category", "").strip() or None
    if category and not Category.objects.filter(code=category).exists():
        return error_response(400, "invalid", f"category: no category {category!r}.")
    jurisdiction = None
    if params.get("jurisdiction"):
        jurisdiction = jurisdiction_by_slug(params["jurisdiction"].strip())
        if jurisdiction is None:
            return error_response(
                400, "invalid", f"jurisdiction: no jurisdiction {params['jurisdiction']!r}."
            )
    body = report_stats(
        area=area,
        category=category,
        date_from=date_from,
        date_to=date_to,
        period=period,
        lang=lang,
        jurisdiction=jurisdiction.pk if jurisdiction else None,
    )
    return JsonResponse(body)
