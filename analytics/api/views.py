"""Analytics endpoints: thin views that parse, authorise, run one analysis and render it
as GeoJSON, CSV or GeoPackage (`?format=`). Staff only, except the public rates."""

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_page
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from analytics.analyses import ANALYSES
from analytics.params import Param, parse
from analytics.results import FORMATS, MEDIA_TYPES, Result, render
from communes.access import can
from communes.api import ActionPermission
from geoportal.params import query_choice
from reports.models import Team

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
    permission_classes = [ActionPermission]
    read_action: str | None = "analytics.view"
    analysis = ""

    @property
    def write_action(self) -> str | None:
        return self.read_action  # analyses only read; a POST just carries a long query

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
        values = parse(self.params(request, **extra), analysis.params)
        self.authorise(request, values)
        return self.respond(request, analysis.run(values))

    def authorise(self, request, values: dict) -> None:
        """Checks on the objects the parameters name (beyond the view's action)."""


class CrewPlanView(AnalyticsView):
    read_action = "team.plan"

    def authorise(self, request, values: dict) -> None:
        """A crew member plans their own team's day (or their own); supervisors those of
        the teams of their jurisdictions."""
        if values.get("team") is not None:
            team = Team.objects.filter(pk=values["team"]).first()
            if team is not None and not can(request.user, "team.plan", team):
                raise PermissionDenied(f"You may not see the plan of team {team.pk}.")
        elif values.get("user") is not None and values["user"] != request.user.pk:
            teams = Team.objects.filter(members=values["user"])
            if not any(can(request.user, "report.manage", team) for team in teams):
                raise PermissionDenied(f"You may not see the plan of user {values['user']}.")


def analysis_view(name: str, *, public: bool = False, path_param: str | None = None):
    analysis = ANALYSES[name]
    responses = {(200, "application/geo+json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR,
                 (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY,
                 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT}  # fmt: skip

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
        attrs["read_action"] = None
    base = CrewPlanView if name == "crew-plan" else AnalyticsView
    view = type(f"{name.title().replace('-', '')}View", (base,), attrs)
    if public:
        view = method_decorator(cache_page(300), name="get")(view)
    return view
