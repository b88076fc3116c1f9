"""Analytics endpoints: thin views that parse, authorise, run one analysis and render it
as GeoJSON, CSV or GeoPackage (`?format=`). Staff only, except the public rates."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from analytics.analyses import ANALYSES
from analytics.cache import cache_key, cached, ttl
from analytics.job_runners import ANALYSIS, analysis_params
from analytics.params import Param, parse
from analytics.results import FORMATS, MEDIA_TYPES, render
from analytics.scope import analytics_communes
from communes.access import can
from communes.api import ActionPermission
from geoportal.params import query_choice
from jobs.api.views import accepted
from jobs.services import job_create
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
    public = False

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

    def run(self, request, **extra) -> HttpResponse:
        fmt = query_choice(request.query_params, "format", FORMATS, default="geojson")
        analysis = ANALYSES[self.analysis]
        params = self.params(request, **extra)
        values = parse(params, analysis.params)  # every bad value: 400 before any work
        # The actor's scope is part of the values: of the cache key and of a job.
        values["communes"] = None if self.public else analytics_communes(request.user)
        self.authorise(request, values)
        if analysis.heavy is not None and analysis.heavy(values):
            if analysis.check is not None:
                analysis.check(values)
            known = {
                spec.name: params[spec.name] for spec in analysis.params if spec.name in params
            }
            job = job_create(
                kind=ANALYSIS, user=request.user, params=analysis_params(
                    name=analysis.name, params=known, fmt=fmt, communes=values["communes"]),
            )  # fmt: skip
            return accepted(request, job)

        def build() -> tuple[str, bytes]:
            result = analysis.run(values)
            return result.name, render(result, fmt)

        key = cache_key(analysis.name, values, fmt)
        name, body = cached(key, ttl(public=self.public), build)
        response = HttpResponse(body, content_type=MEDIA_TYPES[fmt])
        if fmt != "geojson":
            response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        if self.public:
            response["Cache-Control"] = f"public, max-age={ttl(public=True)}"
        return response

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
                 (200, "application/geopackage+sqlite3"): OpenApiTypes.BINARY}  # fmt: skip
    if analysis.heavy is not None:
        responses[202] = OpenApiTypes.OBJECT  # too heavy for a request: the job to poll

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
        attrs["public"] = True
    base = CrewPlanView if name == "crew-plan" else AnalyticsView
    return type(f"{name.title().replace('-', '')}View", (base,), attrs)
