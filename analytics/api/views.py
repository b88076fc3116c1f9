"""Analytics endpoints: thin views that parse, authorise, run one analysis and render it
as GeoJSON, CSV or GeoPackage (`?format=`). Staff only, except the public rates."""

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from analytics.analyses import ANALYSES
from analytics.params import Param, parse
from analytics.results import FORMATS, MEDIA_TYPES, Result, render
from geoportal.params import query_choice

TYPES = {"int": int, "float": float, "date": OpenApiTypes.DATE}
FORMAT_PARAM = OpenApiParameter(
    "format", str, enum=list(FORMATS), description="Download format (default geojson)"
)


def openapi_parameters(specs: list[Param], skip=()) -> list[OpenApiParameter]:
    out = []
    for spec in specs:
        if spec.name in skip:
            continue
        enum = list(spec.choices) if spec.choices and spec.kind == "choice" else None
        if spec.kind == "level":
            enum = ["country", "departement", "arrondissement", "commune", "section"]
        out.append(OpenApiParameter(spec.name, TYPES.get(spec.kind, str), required=spec.required,
                                    enum=enum, description=spec.help, default=spec.default))  # fmt: skip
    return [*out, FORMAT_PARAM]


class AnalyticsView(APIView):
    permission_classes = [IsAdminUser]
    analysis = ""

    def perform_content_negotiation(self, request, force=False):
        # `format` chooses the download, not a DRF renderer; errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type

    def params(self, request, **extra):
        params = {key: request.query_params.get(key) for key in request.query_params}
        params.update(extra)
        return params

    def respond(self, request, result: Result) -> HttpResponse:
        fmt = query_choice(request.query_params, "format", FORMATS, default="geojson")
        response = HttpResponse(render(result, fmt), content_type=MEDIA_TYPES[fmt])
        if fmt != "geojson":
            response["Content-Disposition"] = f'attachment; filename="{result.name}.{fmt}"'
        return response

    def run(self, request, **extra) -> HttpResponse:
        query_choice(request.query_params, "format", FORMATS)  # bad format: 400 before work
        analysis = ANALYSES[self.analysis]
        result = analysis.run(parse(self.params(request, **extra), analysis.params))
        return self.respond(request, result)


def analysis_view(name: str, *, public: bool = False, path_param: str | None = None):
    analysis = ANALYSES[name]
    responses = {(200, "application/geo+json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR,
                 (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY}  # fmt: skip

    @extend_schema(
        summary=analysis.summary + ("" if public else " (staff)"),
        parameters=openapi_parameters(analysis.params, skip={path_param} if path_param else ()),
        responses=responses,
        tags=["analytics"],
    )
    def get(self, request, **kwargs):
        extra = {path_param: kwargs["slug"]} if path_param else {}
        return self.run(request, **extra)

    attrs = {"analysis": name, "get": get, "__doc__": analysis.summary}
    if public:
        attrs["permission_classes"] = [AllowAny]
    view = type(f"{name.title().replace('-', '')}View", (AnalyticsView,), attrs)
    if public:
        view = method_decorator(cache_page(300), name="get")(view)
    return view
