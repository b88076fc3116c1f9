"""Administrative areas: list (GeoJSON), detail, and point lookup."""

import json

from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.params import query_bbox, query_choice, query_float, query_int, query_level
from layers.selectors import areas as selectors
from layers.selectors.areas import geometry_for_zoom
from layers.selectors.generations import describe, requested_generation

GEOJSON = "application/geo+json"
LANGS = ("fr", "ht", "en")


def request_language(request) -> str:
    lang = query_choice(request.query_params, "lang", LANGS)
    if lang:
        return lang
    active = (get_language() or "fr")[:2]
    return active if active in LANGS else "fr"


GENERATION_PARAMETERS = [
    OpenApiParameter(
        "generation", int, description="A boundary generation's id (default: the current one)"
    ),
    OpenApiParameter(
        "date",
        OpenApiTypes.DATE,
        description="YYYY-MM-DD: the boundaries in force that day (instead of generation)",
    ),
]


def area_names(row) -> dict:
    get = row.get if isinstance(row, dict) else lambda key: getattr(row, key)
    return {"name_fr": get("name_fr"), "name_ht": get("name_ht"), "name_en": get("name_en")}


class AreaListView(APIView):
    @extend_schema(
        operation_id="areas_list",
        summary="Administrative areas as a GeoJSON FeatureCollection",
        parameters=[
            OpenApiParameter(
                "level",
                str,
                enum=["country", "departement", "arrondissement", "commune", "section"],
            ),
            OpenApiParameter("parent", str, description="P-code of the parent area"),
            OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat (EPSG:4326)"),
            OpenApiParameter("zoom", int, description="Map zoom 0-22: geometry simplified for it"),
            OpenApiParameter("lang", str, enum=list(LANGS)),
            *GENERATION_PARAMETERS,
        ],
        responses={
            (200, GEOJSON): OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request):
        params = request.query_params
        generation = requested_generation(params)
        body = selectors.area_collection_geojson(
            generation=generation,
            level=query_level(params),
            parent=params.get("parent") or None,
            bbox=query_bbox(params),
            zoom=query_int(params, "zoom", minimum=0, maximum=22),
            lang=request_language(request),
        )
        response = HttpResponse(body, content_type=GEOJSON)
        if generation is not None:
            response["Komin-Boundary-Generation"] = str(generation.pk)
        return response


class AreaDetailView(APIView):
    @extend_schema(
        operation_id="areas_retrieve",
        summary="One area with its parent chain and children",
        parameters=[
            OpenApiParameter("zoom", int),
            OpenApiParameter("lang", str, enum=list(LANGS)),
            *GENERATION_PARAMETERS,
        ],
        responses={
            (200, GEOJSON): OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def get(self, request, pcode: str):
        generation = requested_generation(request.query_params)
        area = selectors.area_by_pcode(pcode, generation=generation)
        if area is None:
            asked = {"generation", "date"} & set(request.query_params)
            where = f" in boundary generation {generation.pk}" if asked else ""
            raise NotFound(f"No area with P-code {pcode!r}{where}.")
        zoom = query_int(request.query_params, "zoom", minimum=0, maximum=22)
        column = geometry_for_zoom(zoom)[0].removeprefix("a.")
        geom = getattr(area, column) or area.geom
        lang = request_language(request)
        feature = {
            "type": "Feature",
            "id": area.pcode,
            "geometry": json.loads(geom.geojson),
            "properties": {
                "pcode": area.pcode,
                "level": area.level,
                "name": area.name(lang),
                **area_names(area),
                "derived": area.derived,
                "population": area.population,
                "population_source": area.population_source,
                "population_year": area.population_year,
                "area_km2": round(area.area_km2, 3) if area.area_km2 else None,
                "parents": [
                    {"pcode": p.pcode, "level": p.level, "name": p.name(lang)}
                    for p in selectors.parent_chain(area)
                ],
                "children": selectors.child_pcodes(area),
                "valid_on": area.valid_on.isoformat() if area.valid_on else None,
                "source": area.source,
                "generation": describe(area.generation),
            },
        }
        return HttpResponse(json.dumps(feature), content_type=GEOJSON)


class AreaLookupView(APIView):
    error_statuses = ("404",)  # a point outside every area (see geoportal.schema)

    @extend_schema(
        operation_id="areas_lookup",
        summary="The areas (section, commune, arrondissement, département) containing a point",
        parameters=[
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("lon", float, required=True),
            OpenApiParameter("lang", str, enum=list(LANGS)),
            *GENERATION_PARAMETERS,
        ],
        responses={200: OpenApiTypes.OBJECT},  # errors: geoportal.schema
    )
    def get(self, request):
        params = request.query_params
        lat = query_float(params, "lat", required=True, minimum=-90, maximum=90)
        lon = query_float(params, "lon", required=True, minimum=-180, maximum=180)
        # The current generation is found by the lookup itself (no query of its own).
        asked = {"generation", "date"} & set(params)
        generation = requested_generation(params) if asked else None
        rows = selectors.areas_containing(lon=lon, lat=lat, generation=generation)
        if not rows:
            raise NotFound(f"The point lat={lat}, lon={lon} is outside every area we hold.")
        lang = request_language(request)
        areas = [
            {
                "pcode": row["pcode"],
                "level": row["level"],
                "name": row[f"name_{lang}"] or row["name_fr"],
                **area_names(row),
                "derived": row["derived"],
            }
            for row in rows
        ]
        return Response(
            {
                "lat": lat,
                "lon": lon,
                "generation": rows[0]["generation_id"],
                "areas": areas,
                **{row["level"]: row for row in areas},
            }
        )
