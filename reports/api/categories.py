"""Categories (service definitions) with their questions."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.api import output
from reports.api.common import request_language
from reports.api.schemas import CategorySerializer
from reports.errors import NotFound
from reports.selectors.reports import active_categories

LANG = OpenApiParameter("lang", str, enum=["fr", "ht", "en"])


class CategoryListView(APIView):
    @extend_schema(
        summary="Categories one can report",
        operation_id="categories_list",
        parameters=[LANG],
        responses=CategorySerializer(many=True),
    )
    def get(self, request):
        lang = request_language(request)
        return Response(
            [output.category_out(c, lang) for c in active_categories().select_related("layer")]
        )


class CategoryDetailView(APIView):
    @extend_schema(
        summary="One category and its questions", parameters=[LANG], responses=CategorySerializer
    )
    def get(self, request, code: str):
        category = active_categories().filter(code=code).first()
        if category is None:
            raise NotFound(f"No category {code}.")
        return Response(output.category_out(category, request_language(request)))
