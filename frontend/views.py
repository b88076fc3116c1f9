"""The Leaflet application's pages. Each page is a small server-rendered shell (every
label through Django i18n) plus one JavaScript module that talks to the public APIs."""

from functools import wraps

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.gis.db.models import Extent
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_http_methods

from communes.access import actor_for, can, scope_q
from communes.logos import FORMATS, logo_format
from communes.models import Jurisdiction
from communes.selectors import jurisdiction_by_slug
from frontend import labels
from frontend.access import landing_url, requires, role_of
from frontend.labels import STATUS_LABELS
from geoportal.limits.decorators import limited
from geoportal.limits.throttles import AnonReadThrottle
from layers.datasets import all_datasets
from layers.models import AdminArea, DatasetLoad
from layers.selectors.features import visible_layers
from layers.selectors.generations import areas_of
from reports.api.output import report_public, update_for
from reports.errors import NotFound
from reports.models import Subscription, Team
from reports.selectors.reports import history, report_get, unstaffed_backlog
from reports.services.subscriptions import unsubscribe
from reports.workflow import Status, targets

LANGS = ("fr", "ht", "en")


def credits() -> list[str]:
    """Attributions of the catalogued data sets loaded here, shown on every map. A leading
    "Subject: " of the catalogue (in English) is shown in the page's language."""
    seen: list[str] = []
    loaded = set(DatasetLoad.objects.values_list("key", flat=True))
    for key, dataset in all_datasets().items():
        if key not in loaded:
            continue
        attribution = dataset.spec.get("attribution")
        if not attribution:
            continue
        subject, sep, rest = attribution.partition(": ")
        if sep and subject in labels.CREDIT_SUBJECTS:
            attribution = f"{labels.CREDIT_SUBJECTS[subject]}: {rest}"
        if attribution not in seen:
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
            "kind": settings.KOMIN_BASEMAP,
            "url": settings.KOMIN_BASEMAP_URL,
            "attribution": settings.KOMIN_BASEMAP_ATTRIBUTION,
            "attributionUrl": settings.KOMIN_BASEMAP_ATTRIBUTION_URL,
        },
        "credits": credits(),
        "statuses": labels.statuses(),
        "priorities": labels.as_strings(labels.PRIORITY_LABELS),
        "levels": labels.as_strings(labels.LEVEL_LABELS),
        "layerTitles": labels.as_strings(labels.LAYER_TITLES),
        # Loaded on demand by the scripts: its (hashed in production) address.
        "vectorgrid": static("vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"),
        "center": [18.9, -72.6],
        "zoom": 8,
    }
    config.update(extra)
    return config


def _page(request, template: str, *, page: str, jurisdiction=None, shown=None, **extra):
    """`extra` goes to the page's JSON config (for its script); `shown` to the template."""
    role = role_of(request.user)
    if jurisdiction is not None:
        extra.update(jurisdiction_config(jurisdiction))
    prefix = f"/c/{jurisdiction.slug}" if jurisdiction is not None else ""
    context = {
        "page": page,
        "jurisdiction": jurisdiction,
        "page_languages": page_languages(jurisdiction),
        "town_halls": town_halls() if jurisdiction is None and page == "map" else [],
        "jurisdiction_name": jurisdiction.name(current_language()) if jurisdiction else "",
        "links": {
            "map": f"{prefix}/",
            "report": f"{prefix}/report/",
            "transparency": f"{prefix}/transparency/",
        },
        "role": role,
        "role_label": labels.ROLE_LABELS.get(role, ""),
        "show_crew": can(request.user, "page.crew"),
        "show_dashboard": can(request.user, "page.dashboard"),
        "manage_url": _manage_url(request.user),
        "config": page_config(request, page=page, **extra),
        **(shown or {}),
    }
    return render(request, template, context)


def _manage_url(user) -> str:
    """The staff's budget and project pages, for those who hold either action."""
    if can(user, "participation.manage"):
        return "/manage/budgets/"
    return "/manage/projects/" if can(user, "project.edit") else ""


def page_languages(jurisdiction) -> list[tuple[str, str]]:
    """The language buttons: a town hall offers the languages it chose."""
    offered = set(jurisdiction.languages) if jurisdiction is not None else set(LANGS)
    return [(code, name) for code, name in settings.LANGUAGES if code in offered]


def town_halls() -> list[dict]:
    """The national view's list of town halls with pages of their own."""
    lang = current_language()
    return [
        {"slug": j.slug, "name": j.name(lang), "url": f"/c/{j.slug}/"}
        for j in Jurisdiction.objects.filter(is_default=False).only(
            "slug", "name_fr", "name_ht", "name_en"
        )
    ]


@limited(AnonReadThrottle)
@require_http_methods(["GET", "HEAD"])
def jurisdiction_logo(request, slug: str):
    """A town hall's logo, checked again by its content before it is served."""
    jurisdiction = jurisdiction_by_slug(slug)
    if jurisdiction is None or not jurisdiction.logo:
        raise Http404(f"No logo for {slug!r}.")
    try:
        handle = jurisdiction.logo.open("rb")
    except FileNotFoundError:
        raise Http404(f"The logo of {slug!r} is missing from storage.") from None
    try:
        fmt = logo_format(handle)
    except ValidationError:
        handle.close()
        raise Http404(f"The logo of {slug!r} is not an image we serve.") from None
    response = FileResponse(handle, content_type=FORMATS[fmt])
    response["Cache-Control"] = "public, max-age=3600"
    return response


def jurisdiction_config(jurisdiction) -> dict:
    """What a commune's pages need: its name, P-codes and where the map opens."""
    extent = AdminArea.objects.filter(pcode__in=jurisdiction.pcodes).aggregate(box=Extent("geom"))
    box = extent["box"]
    config = {
        "jurisdiction": {
            "slug": jurisdiction.slug,
            "name": jurisdiction.name(current_language()),
            "pcodes": jurisdiction.pcodes,
        }
    }
    if box:
        config.update(center=[(box[1] + box[3]) / 2, (box[0] + box[2]) / 2], zoom=13)
    return config


def in_jurisdiction(view):
    """The same page for one commune, at /c/<slug>/...: 404 for an unknown slug."""

    @wraps(view)
    def wrapper(request, slug: str, *args, **kwargs):
        jurisdiction = jurisdiction_by_slug(slug)
        if jurisdiction is None:
            raise Http404(f"No jurisdiction {slug!r}.")
        return view(request, *args, jurisdiction=jurisdiction, **kwargs)

    return wrapper


def change_labels() -> dict[str, str]:
    return {
        "title": _("Change"),
        "appeared": _("Appeared"),
        "disappeared": _("Disappeared"),
        "reshaped": _("Geometry changed"),
        "renamed": _("Renamed"),
        "parent_changed": _("Moved to another parent"),
    }


def boundary_changes(request):
    """The diff of two boundary generations on a map (public: boundaries are public)."""
    return _page(
        request, "frontend/boundary_changes.html", page="changes", changeLabels=change_labels()
    )


@ensure_csrf_cookie
def citizen_map(request, jurisdiction=None):
    from participation.links import participation_links  # participation's pages import us

    links = participation_links(jurisdiction, current_language())
    return _page(request, "frontend/citizen_map.html", page="map", jurisdiction=jurisdiction,
                 shown={"participation": links})  # fmt: skip


@ensure_csrf_cookie
def report_new(request, jurisdiction=None):
    return _page(request, "frontend/report_new.html", page="report", jurisdiction=jurisdiction)


@ensure_csrf_cookie
def report_page(request, reference: str):
    # What the report is, in the page itself: the first screen paints with its title and
    # description (the largest text on a phone) instead of waiting for the script's call.
    report = report_get(actor=actor_for(request.user), reference=reference)
    shown = {}
    if report is not None:
        category = report.category
        lang = current_language()
        public = report_public(report, lang)
        areas = [a["name"] for a in (public["section"], public["commune"]) if a]
        shown = {
            "report_title": getattr(category, f"name_{lang}", "") or category.name_fr,
            "report_description": report.description,
            # Its status, areas and date: that line, on two lines on a phone, is large too.
            "report_status": report.status,
            "report_status_label": STATUS_LABELS.get(report.status, report.status),
            "report_areas": ", ".join(areas),
            "report_created": report.created_at,
            # Its public history too: its entries were the page's largest paint (LCP), late
            # by the API round trip. What the public API shows, no more (staff=False).
            "history": public_history(report, lang),
        }
    return _page(
        request, "frontend/report_page.html", page="track", reference=reference, shown=shown
    )


def public_history(report, lang: str) -> list[dict]:
    """The history's entries as the API gives them to the public, with their status label."""
    entries = [update_for(u, False, lang) for u in history(report=report, staff=False)]
    for entry in entries:
        entry["status_label"] = STATUS_LABELS.get(entry["status"], "") if entry["status"] else ""
        entry["when"] = parse_datetime(entry["created_at"]) if entry["created_at"] else None
    return entries


def transparency(request, jurisdiction=None):
    return _page(
        request, "frontend/transparency.html", page="transparency", jurisdiction=jurisdiction
    )


@ensure_csrf_cookie
@requires("page.crew")
def crew_tickets(request):
    return _page(request, "frontend/crew_tickets.html", page="crew")


def _workflow_for(role: str) -> dict[str, list[str]]:
    """The moves this role may make, by current status (reports.workflow is the source)."""
    return {str(status): targets(role, status) for status in Status}


def _teams(user) -> list[dict]:
    """The teams a manager may send a ticket to: national ones and those of the
    jurisdictions they manage."""
    scoped = scope_q(user, "report.manage")
    teams = (
        Team.objects.all()
        if scoped is None
        else Team.objects.filter(Q(jurisdiction__isnull=True) | scoped)
    )
    return [
        {
            "id": team.pk,
            "name": team.name,
            "members": [{"id": u.pk, "name": u.get_username()} for u in team.members.all()],
        }
        for team in teams.prefetch_related("members").order_by("name")
    ]


@ensure_csrf_cookie
@requires("page.crew")
def crew_ticket(request, reference: str):
    role = role_of(request.user)
    manager = can(request.user, "report.manage")
    return _page(
        request,
        "frontend/crew_ticket.html",
        page="ticket",
        reference=reference,
        manager=manager,
        workflow=_workflow_for(role),
        teams=_teams(request.user) if manager else [],
        user_id=request.user.pk,
    )


def _unstaffed(user) -> list[dict]:
    """Supervisors' warning: their open tickets waiting with a team that has no member."""
    return unstaffed_backlog(actor_for(user)) if can(user, "report.manage") else []


def _communes() -> list[dict]:
    """Communes to choose from (coverage), by name in the page's language."""
    lang = current_language()
    rows = areas_of().filter(level="commune").values_list("pcode", "name_fr", f"name_{lang}")
    return sorted(({"pcode": p, "name": n or fr} for p, fr, n in rows), key=lambda c: c["name"])


@ensure_csrf_cookie
@requires("page.dashboard")
def dashboard(request):
    return _page(
        request,
        "frontend/dashboard.html",
        page="dashboard",
        manager=can(request.user, "report.manage"),
        shown={"unstaffed": _unstaffed(request.user)},
        communes=_communes(),
        layers=[
            {"slug": slug, "title": str(labels.LAYER_TITLES.get(slug, title))}
            for slug, title in visible_layers(request.user)
            .order_by("slug")
            .values_list("slug", "title")
        ],
    )


@require_http_methods(["GET", "POST"])
@limited(AnonReadThrottle)
def stop_following(request, token: str):
    """The "stop following" link of every notification: the page asks, its button posts
    (a GET never unsubscribes: mail scanners and previews open links)."""
    subscription = Subscription.objects.select_related("report", "area").filter(token=token).first()
    done = False
    if subscription is not None and request.method == "POST":
        try:
            unsubscribe(token=token)
            done = True
        except NotFound:  # a second click racing the first: already done
            subscription = None
    lang = current_language()
    if subscription is None:
        what = ""
    elif subscription.report_id:
        what = subscription.report.reference
    else:
        what = subscription.area.name(lang)
    context = {
        "page": "unsubscribe",
        "config": page_config(request, page="unsubscribe"),
        "found": subscription is not None,
        "done": done,
        "what": what,
    }
    status = 200 if subscription is not None else 404
    return render(request, "frontend/stop_following.html", context, status=status)


class LoginView(auth_views.LoginView):
    template_name = "frontend/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page="login", config=page_config(self.request, page="login"))
        return context
