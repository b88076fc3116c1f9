"""The projects' public pages (the frontend app's shell and config, our own modules):
the projects map, one project, "my section"; and the planners' spending page."""

from django.views.decorators.csrf import ensure_csrf_cookie

from communes.models import Jurisdiction
from frontend.access import requires
from frontend.views import _page, current_language
from projects.workflow import as_data


def _labels() -> dict:
    return as_data(current_language())


@ensure_csrf_cookie
def projects_map(request):
    return _page(request, "projects/projects_map.html", page="projects", projects=_labels())


def project_page(request, slug: str):
    return _page(request, "projects/project_page.html", page="project", slug=slug,
                 projects=_labels())  # fmt: skip


def section_page(request, pcode: str):
    return _page(request, "projects/section_page.html", page="section", pcode=pcode[:20],
                 projects=_labels())  # fmt: skip


@requires("page.dashboard")
def spending_page(request):
    lang = current_language()
    towns = [
        {"slug": j.slug, "name": j.name(lang)} for j in Jurisdiction.objects.exclude(pcodes=[])
    ]
    return _page(request, "projects/spending.html", page="spending", towns=towns)
