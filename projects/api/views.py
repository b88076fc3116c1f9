"""Projects API: public reads (list, one project, GeoJSON, money, OCDS, exports) and
writes by administrators and planners of the project's jurisdiction (`project.edit`,
checked by the services). Thin views: parse, call one service or selector, render."""

import json

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.results import MEDIA_TYPES, Result, render
from communes.api import ActionPermission
from communes.selectors import jurisdiction_by_slug
from geoportal.api import validated
from geoportal.paging import page_window, paged
from geoportal.params import query_bbox, query_choice, query_int
from geoportal.parsers import FormParser, JSONParser, MultiPartParser
from projects import conf, ocds, workflow
from projects.api import inputs, output
from projects.models import ProjectPhoto
from projects.selectors import (
    GROUPINGS,
    LEVELS,
    money,
    project_get,
    project_list,
    projects_geojson,
    section_summary,
    spending_and_reports,
    spending_of,
)
from projects.services import (
    budget_line_save,
    check_may_edit,
    procurement_save,
    project_create,
    project_link_reports,
    project_transition,
    project_update,
    update_add,
)
from reports.api.common import actor_of, checked_photos, parse_when, request_language
from reports.errors import Invalid, NotFound

FILTERS = [
    OpenApiParameter("jurisdiction", str, description="A jurisdiction's slug"),
    OpenApiParameter("status", str, enum=workflow.Status.values),
    OpenApiParameter("sector", str, enum=workflow.Sector.values),
    OpenApiParameter("area", str, description="A section's or commune's P-code"),
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
]


def _jurisdiction_id(params) -> int | None:
    slug = params.get("jurisdiction")
    if not slug:
        return None
    jurisdiction = jurisdiction_by_slug(slug)
    if jurisdiction is None:
        raise Invalid("jurisdiction", f"No jurisdiction {slug!r}.")
    return jurisdiction.pk


def _filtered(request):
    params = request.query_params
    return project_list(
        jurisdiction_id=_jurisdiction_id(params),
        status=query_choice(params, "status", workflow.Status.values),
        sector=query_choice(params, "sector", workflow.Sector.values),
        area_pcode=(params.get("area") or "").strip()[:20] or None,
        bbox=query_bbox(params),
    )


def _project(slug: str):
    project = project_get(slug)
    if project is None:
        raise NotFound(f"No project {slug!r}.")
    return project


def _detail(request, slug: str, status: int = 200) -> Response:
    return Response(output.project_detail(_project(slug), request_language(request)), status)


class ProjectListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Public works projects, a page at a time (by slug; `next`/`previous` links)",
        parameters=[*FILTERS, OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        lang = request_language(request)
        limit, offset = page_window(request.query_params, default=int(conf.get("KOMIN_PROJECTS_PAGE")),
                                    maximum=int(conf.get("KOMIN_PROJECTS_PAGE_MAX")))  # fmt: skip
        projects = _filtered(request)
        page = list(projects[offset : offset + limit])
        money_of = spending_of([p.pk for p in page])
        rows = [output.project_summary(p, lang, money_of.get(p.pk, {})) for p in page]
        count = projects.count() if len(page) == limit or offset else len(page)
        return Response(paged(request, count=count, limit=limit, offset=offset, results=rows))

    @extend_schema(
        summary="Create a project (administrators and planners of the jurisdiction)",
        request=inputs.ProjectCreateInput,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        data = validated(inputs.ProjectCreateInput, request.data)
        jurisdiction = jurisdiction_by_slug(data.pop("jurisdiction"))
        if jurisdiction is None:
            raise Invalid("jurisdiction", "No such jurisdiction.")
        project = project_create(actor=actor_of(request), jurisdiction=jurisdiction, **data)
        return _detail(request, project.slug, 201)


class ProjectDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="One project: money, timeline, photos, linked reports",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, slug: str):
        return _detail(request, slug)

    @extend_schema(
        summary="Change a project's fields or geometry",
        request=inputs.ProjectFields(partial=True),
        responses=OpenApiTypes.OBJECT,
    )
    def patch(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.ProjectFields, request.data, partial=True)
        project_update(actor=actor_of(request), project_id=project.pk, **data)
        return _detail(request, slug)


class TransitionView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Move a project (completing it may resolve its linked reports)",
        request=inputs.TransitionInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.TransitionInput, request.data)
        result = project_transition(
            actor=actor_of(request),
            project_id=project.pk,
            language=request_language(request),
            **data,
        )
        body = output.project_detail(_project(slug), request_language(request))
        body["resolved_reports"] = result.resolved
        body["not_resolved_reports"] = result.not_resolved
        return Response(body)


class BudgetLineView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Set a budget line (year × funding source × currency)",
        request=inputs.BudgetLineInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.BudgetLineInput, request.data)
        budget_line_save(actor=actor_of(request), project_id=project.pk, **data)
        return _detail(request, slug)


class LinkedReportsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The reports the project answers (replaces the list)",
        request=inputs.ReportsInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.ReportsInput, request.data)
        project_link_reports(
            actor=actor_of(request), project_id=project.pk, references=data["reports"]
        )
        return _detail(request, slug)


class ProcurementView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Add or change a procurement (tender, award, contract)",
        request=inputs.ProcurementInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.ProcurementInput, request.data)
        pk = data.pop("id", None)
        procurement_save(actor=actor_of(request), project_id=project.pk, pk=pk, **data)
        return _detail(request, slug)


class UpdateView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        summary="Add a timeline entry, with up to 5 photos (re-encoded, no metadata)",
        request=inputs.UpdateInput,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request, slug: str):
        project = _project(slug)
        data = validated(inputs.UpdateInput, request.data)
        actor = actor_of(request)

        check_may_edit(actor, project)  # before any photo is decoded
        photos = checked_photos(request.FILES.getlist("photos"))
        update_add(actor=actor, project_id=project.pk, photos=photos, **data)
        return _detail(request, slug, 201)


class PhotoView(APIView):
    @extend_schema(
        summary="A project photo (JPEG)",
        parameters=[OpenApiParameter("size", str, enum=["full", "thumb"])],
        responses={(200, "image/jpeg"): OpenApiTypes.BINARY},
    )
    def get(self, request, pk: int):
        size = query_choice(request.query_params, "size", ("full", "thumb"), default="full")
        photo = ProjectPhoto.objects.filter(pk=pk).first()
        if photo is None:
            raise NotFound(f"No photo {pk}.")
        file = photo.thumbnail if size == "thumb" else photo.image
        try:
            handle = file.open("rb")
        except FileNotFoundError:
            raise NotFound(f"Photo {pk} is missing from storage.") from None
        response = FileResponse(handle, content_type="image/jpeg")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "public, max-age=3600"
        return response


class GeoJSONView(APIView):
    @extend_schema(
        summary="Projects as GeoJSON (built in PostGIS)",
        parameters=FILTERS,
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        ids = list(_filtered(request).values_list("pk", flat=True))
        body = projects_geojson(ids=ids, language=request_language(request))
        return HttpResponse(body, content_type="application/geo+json")


class ExportView(APIView):
    @extend_schema(
        summary="Projects with their money as CSV, GeoJSON or GeoPackage",
        parameters=[*FILTERS, OpenApiParameter("format", str, enum=["csv", "geojson", "gpkg"])],
        responses={(200, t): OpenApiTypes.BINARY for t in MEDIA_TYPES.values()},
    )
    def perform_content_negotiation(self, request, force=False):
        # `format` chooses the download, not a DRF renderer; errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type

    def get(self, request):
        fmt = query_choice(
            request.query_params, "format", ("csv", "geojson", "gpkg"), default="csv"
        )
        ids = list(_filtered(request).values_list("pk", flat=True))
        collection = json.loads(projects_geojson(ids=ids, language=request_language(request)))
        features = collection["features"]
        result = Result(
            name="projects",
            rows=[f["properties"] for f in features],
            geometries=[f["geometry"] for f in features],
        )
        response = HttpResponse(render(result, fmt), content_type=MEDIA_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="projects.{fmt}"'
        return response


class MoneyView(APIView):
    @extend_schema(
        summary="Planned, committed and spent (HTG) per area, sector, funding source",
        parameters=[
            OpenApiParameter("by", str, enum=list(GROUPINGS[:3]), default="area"),
            OpenApiParameter("level", str, enum=list(LEVELS), default="section"),
            OpenApiParameter("year", int),
            *FILTERS[:3],
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        params = request.query_params
        rows = money(
            by=query_choice(params, "by", GROUPINGS[:3], default="area"),
            level=query_choice(params, "level", LEVELS, default="section"),
            jurisdiction_id=_jurisdiction_id(params),
            year=query_int(params, "year", minimum=1990, maximum=2100),
            sector=query_choice(params, "sector", workflow.Sector.values),
            status=query_choice(params, "status", workflow.Status.values),
        )
        return Response({"currency": "HTG", "results": output.exact(rows)})


class WorkflowView(APIView):
    @extend_schema(
        summary="Project statuses, transitions and sectors", responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        return Response(workflow.as_data(request_language(request)))


class OCDSView(APIView):
    @extend_schema(
        summary="Projects' procurements as an OCDS 1.1 release package",
        parameters=FILTERS[:3],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        projects = _filtered(request).prefetch_related("procurements")
        package = ocds.release_package(list(projects), uri=request.build_absolute_uri())
        return Response(package)


class SectionView(APIView):
    @extend_schema(
        summary="My section: its reports, projects, spending per resident, infrastructure",
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request, pcode: str):
        summary = section_summary(pcode[:20])
        if summary is None:
            raise NotFound(f"No section {pcode!r} in the current boundaries.")
        return Response(output.section_out(summary, request_language(request)))


class CompareView(APIView):
    """Planners' view: are we spending where the problems are?"""

    permission_classes = [ActionPermission]
    read_action = "analytics.view"

    @extend_schema(
        summary="Per section: spending per resident against reports per 1,000 residents",
        parameters=[
            OpenApiParameter("jurisdiction", str, description="A jurisdiction's slug"),
            OpenApiParameter("area", str, description="One commune's P-code"),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
        ],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        params = request.query_params
        jurisdiction_id = _jurisdiction_id(params)
        communes = [params["area"].strip()[:20]] if params.get("area") else []
        if jurisdiction_id is not None and not communes:
            communes = jurisdiction_by_slug(params["jurisdiction"]).pcodes
        if not communes:
            raise Invalid("area", "Name a commune (`area`) or a jurisdiction.")
        collection = spending_and_reports(
            communes=communes,
            jurisdiction_id=jurisdiction_id,
            since=parse_when(params, "from"),
            until=parse_when(params, "to", end_of_day=True),
        )
        return Response(collection, content_type="application/geo+json")
