"""Every analysis once: its parameters and how to run it. The API views and the
`analytics` management command both go through here, so they validate alike."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import GEOSGeometry
from rest_framework.exceptions import PermissionDenied, ValidationError

from analytics import cost
from analytics.models import RasterLayer
from analytics.params import Param, parse
from analytics.results import Result
from analytics.scope import check_in_territory
from analytics.selectors import coverage, crews, hotspots, queries, rasters, rates
from analytics.selectors.common import STATUS_CHOICES, ProblemFilter, check_area, check_categories
from analytics.selectors.zonal import METHODS
from analytics.services.rasters import raster_path
from communes.selectors import jurisdiction_by_slug
from layers.geometry import GeometryError, as_multipolygon, parse_geojson, to_wgs84
from layers.levels import rank
from layers.models import Layer
from reports.models import Team

LEVEL = Param("level", "level", "Area level", default="section")
AREA = Param("area", "str", "P-code of an area: only what lies inside it")
DETAIL = Param(
    "detail",
    "choice",
    "Geometry detail for display",
    choices=("low", "mid", "high", "full"),
    default="mid",
)
BOUNDARIES = Param(
    "boundaries",
    "choice",
    "current: reports placed in today's boundaries (older reports re-assigned by their "
    "point); filed: in the areas they were filed in",
    choices=("current", "filed"),
    default="current",
)
FILTERS = [
    LEVEL, AREA, BOUNDARIES,
    Param("category", "list", "Category codes, comma-separated"),
    Param("status", "list", "Statuses or groups (open, closed, fixed), comma-separated", choices=STATUS_CHOICES),
    Param("from", "date", "Created on or after this day (YYYY-MM-DD)"),
    Param("to", "date", "Created on or before this day (YYYY-MM-DD)"),
]  # fmt: skip
DISTANCE = Param(
    "distance", "float", "Distance in metres", required=True, minimum=0.001, maximum=100_000
)


@dataclass(frozen=True)
class Analysis:
    name: str
    summary: str
    params: list[Param]
    run: Callable[[dict], Result]
    # True when these (parsed) values are too heavy for a request: the API runs a job.
    heavy: Callable[[dict], bool] | None = None
    # Checks what the values refer to (areas, rasters...) before a job is queued, so a
    # mistake is a 400 now rather than a failed job later.
    check: Callable[[dict], None] | None = None


def problem_filter(values: dict) -> ProblemFilter:
    check_scope(values)
    return ProblemFilter(
        level=values["level"], area=values.get("area"),
        categories=check_categories(values.get("category")),
        statuses=tuple(values["status"]) if values.get("status") else None,
        date_from=values.get("from"), date_to=values.get("to"),
        boundaries=values.get("boundaries") or "current", communes=values.get("communes"),
    )  # fmt: skip


def check_scope(values: dict) -> None:
    """The area, if any, exists, is at or above the level asked for and, for a scoped
    actor, in or above their territory."""
    area = check_area(values.get("area"))
    if area is not None:
        check_in_territory(area, values.get("communes"))
    if area is not None and rank(area.level) > rank(values["level"]):
        raise ValidationError(
            {"area": [f"{area.pcode} is a {area.level}; it holds no {values['level']}."]}
        )


def _layer(slug: str, name: str = "layer") -> Layer:
    layer = Layer.objects.filter(slug=slug).first()
    if layer is None:
        raise ValidationError({name: [f"no layer {slug!r}."]})
    return layer


def _raster(slug: str | None, name: str = "raster") -> RasterLayer | None:
    if not slug:
        return None
    raster = RasterLayer.objects.filter(slug=slug).first()
    if raster is None:
        raise ValidationError({name: [f"no raster layer {slug!r}."]})
    if not raster_path(raster).is_file():
        raise ValidationError(
            {name: [f"the file of raster layer {slug!r} is missing from storage."]}
        )
    return raster


def _bbox(values):
    from geoportal.params import query_bbox

    return query_bbox(values)


def run_dbscan(values):
    return hotspots.dbscan_clusters(
        filters=problem_filter(values), distance=values["distance"],
        min_size=values["min_size"], bbox=_bbox(values),
    )  # fmt: skip


def check_local(values) -> ProblemFilter:
    if values["level"] == "country":
        raise ValidationError(
            {"level": ["A local statistic needs several areas; choose a lower level."]}
        )
    if values.get("boundaries") == "filed":
        raise ValidationError(
            {"boundaries": ["A local statistic needs the neighbours of one boundary "
                            "generation: use boundaries=current."]}
        )  # fmt: skip
    return problem_filter(values)


def run_gi(values, statistic=None):
    check_local(values)
    return (statistic or hotspots.gi_star)(
        filters=problem_filter(values), value=values["value"], permutations=values["permutations"],
        alpha=values["alpha"], seed=values["seed"], detail=values["detail"],
    )  # fmt: skip


def run_coverage(values):
    check_scope(values)
    raster = _raster(values.get("raster"))
    if raster is not None and raster.kind != RasterLayer.Kind.POPULATION:
        raise ValidationError(
            {"raster": [f"{raster.slug} is a {raster.kind} raster, not population."]}
        )
    return coverage.coverage(
        layer=_layer(values["layer"]), distance=values["distance"], level=values["level"],
        area=values.get("area"), raster=raster, detail=values["detail"],
        communes=values.get("communes"),
    )  # fmt: skip


def run_nearest(values):
    where = values["point"]
    return coverage.nearest(
        layer=_layer(values["layer"]), lon=where.x, lat=where.y, limit=values["limit"],
        max_distance=values.get("max_distance"),
    )  # fmt: skip


def check_zonal(values) -> None:
    check_scope(values)
    _raster(values["raster"])


def run_zonal(values):
    check_scope(values)
    return rasters.zonal_by_area(
        raster=_raster(values["raster"]), level=values["level"], area=values.get("area"),
        method=values["method"], detail=values["detail"],
    )  # fmt: skip


def run_sample(values):
    low, high = values.get("min"), values.get("max")
    if low is not None and high is not None and high < low:
        raise ValidationError({"max": [f"{high} is below min={low}."]})
    return rasters.sample_layer(
        raster=_raster(values["raster"]), layer=_layer(values["layer"]), minimum=low, maximum=high
    )


def run_crew_plan(values):
    if values["day"] >= date.max:
        raise ValidationError({"day": [f"{values['day']} is beyond the last day we can plan."]})
    team, user = values.get("team"), values.get("user")
    if (team is None) == (user is None):
        raise ValidationError({"team": ["Give exactly one of team or user."]})
    crew = {}
    if team is not None:
        crew["team"] = Team.objects.filter(pk=team).first()
        if crew["team"] is None:
            raise ValidationError({"team": [f"no team {team}."]})
    else:
        crew["user"] = get_user_model().objects.filter(pk=user).first()
        if crew["user"] is None:
            raise ValidationError({"user": [f"no user {user}."]})
    return crews.crew_plan(
        day=values["day"], depot=values["depot"], max_stops=values["max_stops"],
        return_to_depot=values["return"] != "no",
        roads=_layer(values["roads"], "roads") if values.get("roads") else None, **crew,
    )  # fmt: skip


def parse_region(raw: str | dict, name: str = "geometry") -> tuple[GEOSGeometry, str | None]:
    """A drawn polygon as GeoJSON (EPSG:4326 unless it says otherwise), checked at the door,
    and why it had to be repaired (None when it did not)."""
    try:
        geom = to_wgs84(parse_geojson(raw, name=name))
        reason = None if geom.valid else geom.valid_reason
        region, repaired = as_multipolygon(geom)
    except GeometryError as exc:
        raise ValidationError({name: [str(exc)]}) from None
    if repaired and reason is None:
        reason = "its polygons overlapped or touched; they were merged"
    return region, reason


def run_within(values):
    limit = values["limit"]
    if values.get("geometry"):
        if values.get("point"):
            raise ValidationError({"geometry": ["Give a geometry or a point, not both."]})
        region, repair = parse_region(values["geometry"])
        result = queries.within(region=region, limit=limit, communes=values.get("communes"))
        result.meta["repaired"] = repair is not None
        if repair is not None:
            result.meta["repair"] = f"The drawn polygon was invalid ({repair}) and was repaired."
        return result
    if values.get("point") is None or values.get("distance") is None:
        raise ValidationError(
            {"geometry": ["Give a polygon (geometry) or a point and a distance."]}
        )
    return queries.within(
        centre=values["point"], distance=values["distance"], limit=limit,
        communes=values.get("communes"),
    )  # fmt: skip


def run_public_rates(values):
    """A town hall's page asks for its communes (`jurisdiction`, a slug)."""
    communes = None
    if values.get("jurisdiction"):
        found = jurisdiction_by_slug(values["jurisdiction"])
        if found is None:
            raise ValidationError(
                {"jurisdiction": [f"no jurisdiction {values['jurisdiction']!r}."]}
            )
        communes = tuple(found.pcodes) if found.pcodes else None  # the default one: all
    area = check_area(values.get("area"))
    if area is not None:
        try:
            check_in_territory(area, communes)
        except PermissionDenied as exc:  # public: a bad combination, not a refusal
            raise ValidationError({"area": [str(exc.detail)]}) from None
    filters = problem_filter({**values, "status": None, "communes": communes})
    return rates.public_area_rates(
        filters=filters, detail=values["detail"], percentiles=values["percentiles"]
    )


JURISDICTION = Param("jurisdiction", "str", "A town hall's slug: the areas of its communes only")
PERCENTILES = Param(
    "percentiles", "choice",
    "approximate: from the rates rollup when it can answer (median age within half a day, "
    "hours to resolve within 2 %; counts exact; `meta.method` says which); exact: from every report",
    choices=("approximate", "exact"), default="approximate",
)  # fmt: skip
RATES_PARAMS = [*FILTERS, DETAIL, PERCENTILES]
# Anyone may ask for public rates: no full-detail geometry (megabytes per answer).
PUBLIC_DETAIL = Param(
    "detail", "choice", "Geometry detail for display", choices=("low", "mid"), default="mid"
)
LOCAL_PARAMS = [
    *FILTERS, DETAIL,
    Param("value", "choice", "Reports or reports per 1,000 residents", choices=("per_1000", "reports"), default="per_1000"),
    Param("permutations", "int", "Conditional permutations (heavy combinations run as a background job)", default=999, minimum=99, maximum=999),
    Param("alpha", "float", "Significance level", default=0.05, minimum=0.0001, maximum=0.5),
    Param("seed", "int", "Random seed of the permutations", default=12345, minimum=0, maximum=2**31 - 1),
]  # fmt: skip
ANALYSES = {
    a.name: a
    for a in [
        Analysis("rates", "Report rates per area (choropleth data)", RATES_PARAMS,
                 lambda v: rates.area_rates(filters=problem_filter(v), detail=v["detail"],
                                            percentiles=v["percentiles"])),
        Analysis("public-rates", "Aggregated report rates per area, for the transparency page",
                 [*[p for p in FILTERS if p.name != "status"], PUBLIC_DETAIL, JURISDICTION, PERCENTILES],
                 run_public_rates),
        Analysis("dbscan", "Clusters of reports (DBSCAN in metres): hulls, counts, dominant category", [
            *FILTERS, Param("distance", "float", "Neighbourhood distance in metres", default=100, minimum=0.001, maximum=50_000),
            Param("min_size", "int", "Reports needed to make a cluster", default=5, minimum=2, maximum=100_000),
            Param("bbox", "str", "minlon,minlat,maxlon,maxlat"),
        ], run_dbscan),
        Analysis("gi-star", "Getis-Ord Gi* per area: hot and cold spots with p-values",
                 LOCAL_PARAMS, run_gi, heavy=cost.local_statistic_is_heavy, check=check_local),
        Analysis("local-moran", "Local Moran's I per area: clusters and outliers with p-values",
                 LOCAL_PARAMS, lambda v: run_gi(v, hotspots.local_moran), heavy=cost.local_statistic_is_heavy,
                 check=check_local),
        Analysis("coverage", "Population within a distance of a facility layer, per area, most underserved first", [
            Param("layer", "str", "Facility layer slug", required=True), DISTANCE, LEVEL, AREA,
            Param("raster", "str", "Population raster slug (else area population spread evenly)"), DETAIL,
        ], run_coverage),
        Analysis("nearest", "Nearest facilities of a layer from a point, with distance", [
            Param("layer", "str", "Facility layer slug", required=True),
            Param("point", "point", "lon,lat", required=True),
            Param("limit", "int", "How many", default=1, minimum=1, maximum=100),
            Param("max_distance", "float", "Metres", minimum=0.001, maximum=1_000_000),
        ], run_nearest),
        Analysis("zonal", "Zonal statistics of a raster per area (count, sum, mean, min, max)", [
            Param("raster", "str", "Raster layer slug", required=True), LEVEL, AREA,
            Param("method", "choice", "exact (coverage-weighted) or centre (cell centres inside)", choices=METHODS, default="exact"),
            DETAIL,
        ], run_zonal, heavy=cost.zonal_is_heavy, check=check_zonal),
        Analysis("sample", "Raster value at each feature of a layer", [
            Param("raster", "str", "Raster layer slug", required=True),
            Param("layer", "str", "Layer slug", required=True),
            Param("min", "float", "Only features with a value at least this"),
            Param("max", "float", "Only features with a value at most this"),
        ], run_sample),
        Analysis("crew-plan", "A crew's day: its open tickets ordered from a depot (nearest neighbour + 2-opt)", [
            Param("team", "int", "Team id", minimum=1), Param("user", "int", "User id (assignee)", minimum=1),
            Param("day", "date", "The day (YYYY-MM-DD)", required=True),
            Param("depot", "point", "Depot lon,lat", required=True),
            Param("max_stops", "int", "Most tickets in the day", default=25, minimum=1, maximum=200),
            Param("return", "choice", "Back to the depot at the end", choices=("yes", "no"), default="yes"),
            Param("roads", "str", "Road layer slug: distances along its lines instead of straight"),
        ], run_crew_plan),
        Analysis("within", "What lies in a polygon or within a distance of a point, with counts by type", [
            Param("geometry", "str", "GeoJSON polygon (EPSG:4326)"),
            Param("point", "point", "lon,lat (with distance)"),
            Param("distance", "float", "Metres around the point", minimum=0.001, maximum=100_000),
            Param("limit", "int", "Items listed per type", default=500, minimum=1, maximum=5000),
        ], run_within),
    ]
}  # fmt: skip


def run(name: str, params, *, communes: tuple[str, ...] | None = None) -> Result:
    """Run an analysis on raw parameters, for a scope (analytics.scope; None: national)."""
    analysis = ANALYSES[name]
    values = parse(params, analysis.params)
    values["communes"] = tuple(communes) if communes is not None else None
    return analysis.run(values)
