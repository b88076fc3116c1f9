"""Raster layers: list, upload (multipart GeoTIFF), detail, delete. Staff only."""

import tempfile
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.conf import raster_max_bytes
from analytics.models import RasterLayer
from analytics.selectors.rasters import raster_summary
from analytics.services.rasters import RasterError, raster_create, raster_delete
from geoportal.parsers import FormParser, MultiPartParser

UPLOAD_SCHEMA = {
    "multipart/form-data": {
        "type": "object",
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "title": {"type": "string"},
            "slug": {"type": "string"},
            "kind": {"type": "string", "enum": RasterLayer.Kind.values},
            "unit": {"type": "string"},
            "description": {"type": "string"},
            "source": {"type": "string"},
            "licence": {"type": "string"},
            "attribution": {"type": "string"},
        },
        "required": ["file", "title"],
    }
}


class RasterListView(APIView):
    permission_classes = [IsAdminUser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Raster layers (staff)", tags=["analytics"], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        return Response({"rasters": [raster_summary(r) for r in RasterLayer.objects.all()]})

    @extend_schema(
        summary="Upload a single-band GeoTIFF (staff)",
        tags=["analytics"],
        request=UPLOAD_SCHEMA,
        responses={201: OpenApiTypes.OBJECT},
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Upload a GeoTIFF in the field 'file'."]})
        if upload.size > raster_max_bytes():
            raise ValidationError(
                {"file": [f"{upload.size} bytes is over the limit of {raster_max_bytes()}."]}
            )
        title = (request.data.get("title") or "").strip()
        if not title:
            raise ValidationError({"title": ["This field is required."]})
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "upload.tif"
            with open(path, "wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                layer = raster_create(
                    source=path, title=title, slug=request.data.get("slug") or None,
                    kind=request.data.get("kind") or RasterLayer.Kind.OTHER,
                    unit=request.data.get("unit", ""), description=request.data.get("description", ""),
                    source_name=request.data.get("source", ""), licence=request.data.get("licence", ""),
                    attribution=request.data.get("attribution", ""), uploaded_by=request.user,
                )  # fmt: skip
            except RasterError as exc:
                raise ValidationError({"file": [str(exc)]}) from None
        return Response(raster_summary(layer), status=status.HTTP_201_CREATED)


class RasterDetailView(APIView):
    permission_classes = [IsAdminUser]

    def _layer(self, slug):
        layer = RasterLayer.objects.filter(slug=slug).first()
        if layer is None:
            raise NotFound(f"No raster layer {slug!r}.")
        return layer

    @extend_schema(
        summary="One raster layer (staff)", tags=["analytics"], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request, slug):
        return Response(raster_summary(self._layer(slug)))

    @extend_schema(
        summary="Delete a raster layer and its file (staff)",
        tags=["analytics"],
        responses={204: None},
    )
    def delete(self, request, slug):
        raster_delete(layer=self._layer(slug))
        return Response(status=status.HTTP_204_NO_CONTENT)
