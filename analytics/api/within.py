"""Ad-hoc spatial query, also by POST for polygons too long for a query string."""

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError

from analytics.api.views import analysis_view
from geoportal.body_limits import geometry_cap

WithinGetView = analysis_view("within")


class WithinView(WithinGetView):
    max_body_bytes = staticmethod(geometry_cap)

    @extend_schema(
        summary="What lies in a drawn polygon (GeoJSON body), with counts by type (staff)",
        tags=["analytics"],
        request={"application/json": {"type": "object", "properties": {
            "geometry": {"type": "object"}, "limit": {"type": "integer"}}, "required": ["geometry"]}},
        responses={(200, "application/geo+json"): OpenApiTypes.OBJECT},
    )  # fmt: skip
    def post(self, request):
        body = request.data if isinstance(request.data, dict) else {}
        if "geometry" not in body:
            raise ValidationError({"geometry": ["A GeoJSON polygon is required in the body."]})
        geometry = body["geometry"]
        extra = {"geometry": geometry if isinstance(geometry, str) else json.dumps(geometry)}
        if "limit" in body:
            extra["limit"] = str(body["limit"])
        return self.run(request, **extra)
