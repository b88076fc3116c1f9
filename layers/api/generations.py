"""Boundary generations: the list, and what changed between two of them (JSON, GeoJSON)."""

import json

from django.db.models import Count
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.params import query_level
from layers.models import BoundaryGeneration
from layers.selectors.generation_diff import diff_feature_collection, generation_diff
from layers.selectors.generations import describe

GEOJSON = "application/geo+json"
LEVEL = OpenApiParameter(
    "level", str, enum=["country", "departement", "arrondissement", "commune", "section"]
)
ERRORS = {400: OpenApiTypes.OBJECT, 404: OpenApiTypes.OBJECT}


def generation_or_404(pk: int) -> BoundaryGeneration:
    found = BoundaryGeneration.objects.filter(pk=pk).first()
    if found is None:
        raise NotFound(f"No boundary generation {pk}.")
    return found


class GenerationListView(APIView):
    @extend_schema(
        operation_id="areas_generations_list",
        summary="Boundary generations, oldest first, with their number of areas",
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        generations = BoundaryGeneration.objects.annotate(areas_count=Count("areas")).order_by("id")
        return Response(
            {
                "generations": [
                    {**describe(generation), "areas": generation.areas_count}
                    for generation in generations
                ]
            }
        )


def _diff(request, old: int, new: int, *, with_geometry: bool) -> dict:
    level = query_level(request.query_params)
    return generation_diff(
        old=generation_or_404(old),
        new=generation_or_404(new),
        level=level,
        with_geometry=with_geometry,
    )


class GenerationDiffView(APIView):
    @extend_schema(
        operation_id="areas_generations_diff",
        summary="Areas that appeared, disappeared, were renamed or changed shape (km², %)",
        parameters=[LEVEL],
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, old: int, new: int):
        return Response(_diff(request, old, new, with_geometry=False))


class GenerationDiffGeoJSONView(APIView):
    @extend_schema(
        operation_id="areas_generations_diff_geojson",
        summary="The same diff as a GeoJSON FeatureCollection for a map",
        parameters=[LEVEL],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT, **ERRORS},
    )
    def get(self, request, old: int, new: int):
        diff = _diff(request, old, new, with_geometry=True)
        body = json.dumps(diff_feature_collection(diff), ensure_ascii=False)
        return HttpResponse(body, content_type=GEOJSON)
