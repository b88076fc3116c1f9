"""The Leaflet application's pages. Each page is a small server-rendered shell (every
label through Django i18n) plus one JavaScript module that talks to the public APIs."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET

from frontend import labels
from frontend.access import (
    CREW_PAGES,
    DASHBOARD_PAGES,
    MANAGERS,
    landing_url,
    requires_role,
    role_of,
)
from frontend.selectors import search_places
from layers.datasets import all_datasets

LANGS = ("fr", "ht", "en")
MAX_QUERY = 100


def credits() -> list[str]:
    """Attributions of every catalogued data set, shown on the map."""
    seen: list[str] = []
    for dataset in all_datasets().values():
        attribution = dataset.spec.get("attribution")
        if attribution and attribution not in seen:
            seen.append(attribution)
    return seen


def current_language() -> str:
    lang = (get_language() or "fr")[:2]
    return lang if lang in LANGS else "fr"


def page_config(request, **extra) -> dict:
    """What every page's JavaScript needs, handed over as JSON in the page."""
    role = role_of(request.user)
    config = {
        "lang": current_language(),
        "role": role,
        "username": request.user.get_username() if request.user.is_authenticated else "",
        "basemap": {
            "url": settings.KOMIN_BASEMAP_URL,
            "attribution": settings.KOMIN_BASEMAP_ATTRIBUTION,
        },
        "credits": credits(),
        "statuses": labels.statuses(),
        "priorities": labels.as_strings(labels.PRIORITY_LABELS),
        "levels": labels.as_strings(labels.LEVEL_LABELS),
        "center": [18.9, -72.6],
        "zoom": 8,
    }
    config.update(extra)
    return config


def _page(request, template: str, *, page: str, **extra):
    role = role_of(request.user)
    context = {
        "page": page,
        "role": role,
        "role_label": labels.ROLE_LABELS.get(role, ""),
        "show_crew": role in CREW_PAGES,
        "show_dashboard": role in DASHBOARD_PAGES,
        "config": page_config(request, page=page, **extra),
    }
    return render(request, template, context)


@ensure_csrf_cookie
def citizen_map(request):
    return _page(request, "frontend/citizen_map.html", page="map")


@ensure_csrf_cookie
def report_new(request):
    return _page(request, "frontend/report_new.html", page="report")


@ensure_csrf_cookie
def report_page(request, reference: str):
    return _page(request, "frontend/report_page.html", page="track", reference=reference)


def transparency(request):
    return _page(request, "frontend/transparency.html", page="transparency")


@ensure_csrf_cookie
@requires_role(CREW_PAGES)
def crew_tickets(request):
    return _page(request, "frontend/crew_tickets.html", page="crew")


@ensure_csrf_cookie
@requires_role(CREW_PAGES)
def crew_ticket(request, reference: str):
    return _page(
        request,
        "frontend/crew_ticket.html",
        page="ticket",
        reference=reference,
        manager=role_of(request.user) in MANAGERS,
    )


@ensure_csrf_cookie
@requires_role(DASHBOARD_PAGES)
def dashboard(request):
    return _page(
        request,
        "frontend/dashboard.html",
        page="dashboard",
        manager=role_of(request.user) in MANAGERS,
    )


class LoginView(auth_views.LoginView):
    template_name = "frontend/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(role_of(self.request.user))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page="login", config=page_config(self.request, page="login"))
        return context


@require_GET
@cache_control(public=True, max_age=300)
def place_search(request):
    """GET /search/?q=: our areas and the gazetteer's places whose name contains q."""
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY:
        return JsonResponse(
            {"error": "invalid", "detail": f"q: at most {MAX_QUERY} characters."}, status=400
        )
    lang = request.GET.get("lang") or current_language()
    if lang not in LANGS:
        return JsonResponse(
            {"error": "invalid", "detail": f"lang: one of {', '.join(LANGS)}."}, status=400
        )
    return JsonResponse({"query": query, "results": search_places(query=query, lang=lang)})
