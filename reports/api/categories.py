"""Categories (service definitions) with their questions."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.selectors import jurisdiction_by_slug, offered_categories
from reports.api import output
from reports.api.common import request_language
from reports.api.schemas import CategorySerializer
from reports.errors import NotFound
from reports.selectors.reports import active_categories

LANG = OpenApiParameter("lang", str, enum=["fr", "ht", "en"])
JURISDICTION = OpenApiParameter(
    "jurisdiction", str, description="slug: the national catalogue plus its local categories"
)


def jurisdiction_param(request):
    slug = (request.query_params.get("jurisdiction") or "").strip()
    if not slug:
        return None
    found = jurisdiction_by_slug(slug)
    if found is None:
        raise NotFound(f"No jurisdiction {slug!r}.")
    return found


class CategoryListView(APIView):
    @extend_schema(
        summary="Categories one can report",
        operation_id="categories_list",
        parameters=[LANG, JURISDICTION],
        responses={200: CategorySerializer(many=True), 404: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        lang = request_language(request)
        categories = offered_categories(active_categories(), jurisdiction_param(request))
        return Response([output.category_out(c, lang) for c in categories.select_related("layer")])


class CategoryDetailView(APIView):
    @extend_schema(
        summary="One category and its questions", parameters=[LANG], responses=CategorySerializer
    )
    def get(self, request, code: str):
        category = active_categories().filter(code=code).first()
        if category is None:
            raise NotFound(f"No category {code}.")
        return Response(output.category_out(category, request_language(request)))
