"""Reports: list (filters), create (JSON or multipart with photos), detail, nearby."""

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.selectors import jurisdiction_by_slug
from geoportal.body_limits import upload_cap
from geoportal.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from geoportal.limits.throttles import (
    AnonReadThrottle,
    AnonReportThrottle,
    RefundRefusedMixin,
    ReportAttemptThrottle,
    UserReportThrottle,
)
from geoportal.params import query_bbox, query_float, query_int
from geoportal.parsers import FormParser, JSONParser, MultiPartParser
from layers.selectors.areas import area_by_pcode
from projects.api.output import projects_answering
from reports import conf
from reports.api import output
from reports.api.common import (
    actor_of,
    checked_photos,
    get_report,
    parse_when,
    request_language,
)
from reports.api.inputs import ReportCreateInput
from reports.errors import Invalid
from reports.models import Category
from reports.selectors.categories import category_for_filing
from reports.selectors.reports import (
    ReportFilters,
    nearby_open,
    nearest_assets,
    public_geojson,
    report_list,
)
from reports.services.reports import Contact, report_create
from reports.workflow import Status

MAX_PAGE_SIZE = 200
LIST_PARAMS = [
    OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
    OpenApiParameter("area", str, description="P-code of a département, commune or section"),
    OpenApiParameter("category", str, description="Category code(s), comma-separated"),
    OpenApiParameter(
        "status", str, description="Status(es) or group (open, closed), comma-separated"
    ),
    OpenApiParameter("created_after", OpenApiTypes.DATETIME),
    OpenApiParameter("created_before", OpenApiTypes.DATETIME),
    OpenApiParameter("assigned", str, enum=["me"], description="Only tickets assigned to me"),
    OpenApiParameter("mine", bool, description="Only the reports I filed (logged in)"),
    OpenApiParameter("team", int, description="Only the tickets of this team"),
    OpenApiParameter(
        "work", bool, description="Only the tickets I may work on (my jurisdictions, my teams)"
    ),
    OpenApiParameter("jurisdiction", str, description="Only the reports of this jurisdiction"),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description=f"1 to {MAX_PAGE_SIZE}"),
    OpenApiParameter("lang", str, enum=["fr", "ht", "en"]),
]


def filters_from(request) -> ReportFilters:
    params = request.query_params
    area = None
    if params.get("area"):
        area = area_by_pcode(params["area"].strip())
        if area is None:
            raise Invalid("area", f"No area with P-code {params['area']!r}.")
    statuses = tuple(s.strip() for s in params.get("status", "").split(",") if s.strip())
    unknown = [s for s in statuses if s not in Status.values and s not in ("open", "closed")]
    if unknown:
        raise Invalid("status", f"Unknown status {', '.join(unknown)}.")
    assigned = params.get("assigned")
    if assigned and assigned != "me":
        raise Invalid("assigned", "Only 'me' is supported.")
    if assigned and not request.user.is_authenticated:
        raise Invalid("assigned", "Log in to list the tickets assigned to you.")
    mine = params.get("mine", "").lower() in ("1", "true")
    if mine and not request.user.is_authenticated:
        raise Invalid("mine", "Log in to list the reports you filed.")
    jurisdiction = None
    if params.get("jurisdiction"):
        found = jurisdiction_by_slug(params["jurisdiction"].strip())
        if found is None:
            raise Invalid("jurisdiction", f"No jurisdiction {params['jurisdiction']!r}.")
        jurisdiction = found.pk
    return ReportFilters(
        bbox=query_bbox(params),
        jurisdiction=jurisdiction,
        workable=params.get("work", "").lower() in ("1", "true"),
        area=area,
        categories=tuple(c.strip() for c in params.get("category", "").split(",") if c.strip()),
        statuses=statuses,
        created_after=parse_when(params, "created_after"),
        created_before=parse_when(params, "created_before", end_of_day=True),
        assigned_to=request.user.pk if assigned else None,
        team=query_int(params, "team", minimum=1),
        reporter=request.user.pk if mine else None,
    )


def paginate(request, queryset):
    params = request.query_params
    page = query_int(params, "page", minimum=1, default=1)
    size = query_int(params, "page_size", minimum=1, maximum=MAX_PAGE_SIZE, default=50)
    total = queryset.count()
    return total, page, size, list(queryset[(page - 1) * size : page * size])


# After filing, the nearest open reports of the category that the reporter may support
# instead (a phone screen's worth: /nearby/ lists up to 10 before filing).
DUPLICATES_SHOWN = 5


class ReportListView(RefundRefusedMixin, APIView):
    error_statuses = ("422",)  # an Idempotency-Key reused for another body (geoportal.schema)
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # The whole multipart request, photos included.
    max_body_bytes = staticmethod(
        upload_cap(lambda: conf.get("KOMIN_REPORT_MAX_REQUEST_BYTES"), margin=0)
    )

    def get_throttles(self):
        if self.request.method == "POST":
            # Every attempt counts in the first; only accepted reports in the others.
            return [ReportAttemptThrottle(), AnonReportThrottle(), UserReportThrottle()]
        return [AnonReadThrottle()]

    @extend_schema(
        summary="Reports (public fields; staff see more)",
        operation_id="reports_list",
        parameters=LIST_PARAMS,
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        actor = actor_of(request)
        lang = request_language(request)
        total, page, size, rows = paginate(
            request, report_list(actor=actor, filters=filters_from(request))
        )
        return Response(
            {
                "count": total,
                "page": page,
                "page_size": size,
                "results": [output.report_for(r, actor, lang) for r in rows],
            }
        )

    @extend_schema(
        summary="File a report (JSON, or multipart with `photos`)",
        request={"application/json": ReportCreateInput, "multipart/form-data": ReportCreateInput},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses={201: OpenApiTypes.OBJECT},
    )
    @idempotent
    def post(self, request):
        data = ReportCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        category, questions = category_for_filing(values["category"])
        if category is None:
            raise Invalid("category", f"No category {values['category']!r}.")
        photos = checked_photos(request.FILES.getlist("photos"))
        with transaction.atomic():
            report, written = report_create(
                category=category,
                questions=questions,
                lon=values["lon"],
                lat=values["lat"],
                description=values["description"],
                answers=values["answers"],
                photos=photos,
                address=values["address"],
                asset_id=values["asset"],
                contact=Contact(values["name"], values["email"], values["phone"]),
                reporter=request.user,
                language=request_language(request),
            )
            # The answer is read before the commit: a database lost after it would answer
            # 503 for a report already filed, and a client retrying would file it twice.
            lang = request_language(request)
            body = output.report_public(report, lang, photos=written)
            body["token"] = report.token  # once, to its reporter: to follow, confirm or reopen
            body["possible_duplicates"] = [
                output.report_public_row(r, lang)
                for r in nearby_open(
                    category=category,
                    lon=values["lon"],
                    lat=values["lat"],
                    exclude=report.pk,
                    limit=DUPLICATES_SHOWN,
                )
            ]
        response = Response(body, status=201)
        response["Location"] = f"/api/v1/reports/{report.reference}/"
        response["ETag"] = f'"{report.version}"'
        return response


class ReportDetailView(APIView):
    @extend_schema(summary="One report", responses=OpenApiTypes.OBJECT)
    def get(self, request, reference: str):
        report = get_report(request, reference)
        lang = request_language(request)
        body = output.report_for(report, actor_of(request), lang)
        body["projects"] = projects_answering(report, lang)
        response = Response(body)
        response["ETag"] = f'"{report.version}"'
        return response


class NearbyView(APIView):
    @extend_schema(
        summary="Before filing: open reports of the category nearby, and the nearest assets",
        parameters=[
            OpenApiParameter("category", str, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lon", float, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request):
        params = request.query_params
        lat = query_float(params, "lat", required=True, minimum=-90, maximum=90)
        lon = query_float(params, "lon", required=True, minimum=-180, maximum=180)
        category = Category.objects.filter(code=params.get("category", "")).first()
        if category is None:
            raise Invalid("category", f"No category {params.get('category')!r}.")
        lang = request_language(request)
        return Response(
            {
                "radius_m": category.duplicate_radius_m,
                "reports": [
                    output.report_public_row(r, lang)
                    for r in nearby_open(category=category, lon=lon, lat=lat)
                ],
                "assets": nearest_assets(category=category, lon=lon, lat=lat, lang=lang),
            }
        )


GEOJSON_LIMIT = 5000


class ReportGeoJSONView(APIView):
    @extend_schema(
        summary="Public reports as GeoJSON (for maps), newest first",
        parameters=[
            p
            for p in LIST_PARAMS
            if p.name in {"bbox", "area", "category", "status", "created_after", "created_before"}
        ]
        + [OpenApiParameter("limit", int, description=f"1 to {GEOJSON_LIMIT}")],
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )
    def get(self, request):
        filters = filters_from(request)
        limit = query_int(
            request.query_params, "limit", minimum=1, maximum=GEOJSON_LIMIT, default=GEOJSON_LIMIT
        )
        body = public_geojson(filters=filters, limit=limit)
        return HttpResponse(body, content_type="application/geo+json")
