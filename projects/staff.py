"""The town hall's pages for public works projects (administrators and planners of the
commune: `project.edit`): their projects, create one, edit one. The form is read by the
API's input serializers and handed to the same services (frontend.staff_forms); a point
is given as longitude/latitude (a phone's location), other shapes as GeoJSON."""

import json

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework import exceptions

from communes.access import actor_for, scope
from frontend.access import requires
from frontend.staff_forms import check, chosen_town, field_errors, posted, towns_for, validated
from frontend.views import _page
from projects.api.inputs import ProjectCreateInput, ProjectFields
from projects.models import Project
from projects.services import project_create, project_update
from projects.workflow import Sector

ACTION = "project.edit"
FIELDS = ["title_fr", "title_ht", "title_en", "description_fr", "description_ht",
          "description_en", "sector", "responsible_service", "contractor", "planned_start",
          "planned_end", "actual_start", "actual_end", "percent_complete"]  # fmt: skip
NULLS = {"planned_start", "planned_end", "actual_start", "actual_end"}
GEOMETRY_MAX = 200_000  # characters of pasted GeoJSON


def _geometry(post) -> dict | None:
    """GeoJSON pasted, else a point from lon/lat, else None (keep the current one)."""
    text = (post.get("geometry") or "").strip()
    if text:
        if len(text) > GEOMETRY_MAX:
            raise exceptions.ValidationError({"geometry": [_("This GeoJSON is too long here.")]})
        try:
            return json.loads(text)
        except ValueError:
            raise exceptions.ValidationError({"geometry": [_("This is not GeoJSON.")]}) from None
    lon, lat = (post.get("lon") or "").strip(), (post.get("lat") or "").strip()
    if not lon and not lat:
        return None
    try:
        return {"type": "Point", "coordinates": [float(lon), float(lat)]}
    except ValueError:
        raise exceptions.ValidationError({"lat": [_("Give a longitude and a latitude.")]}) from None


def _form_page(request, *, project=None, values=None, errors=None, status=200):
    shown = {"project": project, "values": values or {}, "errors": errors or {},
             "towns": towns_for(request.user, ACTION), "sectors": Sector.choices}  # fmt: skip
    response = _page(request, "projects/staff_project.html", page="manage", shown=shown)
    response.status_code = status
    return response


@requires(ACTION)
def project_manage(request):
    projects = scope(Project.objects.select_related("jurisdiction"), request.user, ACTION)
    return _page(request, "projects/staff_projects.html", page="manage",
                 shown={"projects": projects.order_by("slug")[:500]})  # fmt: skip


def _saved(request, work, *, project=None):
    try:
        made = work()
    except exceptions.ValidationError as exc:
        return _form_page(request, project=project, values=request.POST,
                          errors=field_errors(exc), status=400)  # fmt: skip
    except exceptions.PermissionDenied as exc:
        raise PermissionDenied(str(exc.detail)) from None
    return redirect("project-edit", slug=made.slug)


@requires(ACTION)
@require_http_methods(["GET", "POST"])
def project_new(request):
    if request.method == "GET":
        return _form_page(request)

    def create():
        data = posted(request.POST, ["slug", "jurisdiction", *FIELDS], nulls=NULLS)
        data["geometry"] = _geometry(request.POST)
        fields = validated(ProjectCreateInput, data)
        town = chosen_town(request.user, ACTION, fields.pop("jurisdiction"))
        return project_create(actor=actor_for(request.user), jurisdiction=town, **fields)

    return _saved(request, create)


@requires(ACTION)
@require_http_methods(["GET", "POST"])
def project_edit(request, slug: str):
    project = get_object_or_404(Project.objects.select_related("jurisdiction"), slug=slug)
    check(request.user, ACTION, project)
    if request.method == "GET":
        return _form_page(request, project=project, values=_values(project))

    def update():
        data = posted(request.POST, FIELDS, nulls=NULLS)
        geometry = _geometry(request.POST)
        if geometry is not None:
            data["geometry"] = geometry
        fields = validated(ProjectFields, data, partial=True)
        return project_update(actor=actor_for(request.user), project_id=project.pk, **fields)

    return _saved(request, update, project=project)


def _values(p: Project) -> dict:
    values = {name: getattr(p, name) for name in FIELDS}
    for name in NULLS:
        values[name] = values[name].isoformat() if values[name] else ""
    if p.geom.geom_type == "Point":
        values.update(lon=round(p.geom.x, 6), lat=round(p.geom.y, 6))
    else:
        values["geometry"] = p.geom.json
    return values
