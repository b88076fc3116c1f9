"""Raster layers: list, upload (multipart GeoTIFF), detail, delete. Reading needs
"raster.view"; uploads and deletes "raster.edit" nationally (rasters are national data)."""

import tempfile
from pathlib import Path

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.conf import raster_max_bytes
from analytics.job_runners import RASTER_UPLOAD
from analytics.models import RasterLayer
from analytics.selectors.rasters import raster_summary
from analytics.services.rasters import RasterError, raster_create, raster_delete
from communes.api import NATIONAL, ActionPermission
from geoportal.body_limits import upload_cap
from geoportal.parsers import FormParser, MultiPartParser
from geoportal.redact import without_paths
from jobs.api.views import accepted
from jobs.conf import inline_upload_max_bytes
from jobs.services import job_create

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


class RasterPermissions:
    permission_classes = [ActionPermission]
    read_action = "raster.view"
    write_action = "raster.edit"

    def permission_object(self, request):
        return NATIONAL


class RasterListView(RasterPermissions, APIView):
    parser_classes = [MultiPartParser, FormParser]
    max_body_bytes = staticmethod(upload_cap(raster_max_bytes))

    @extend_schema(
        summary="Raster layers (staff)", tags=["analytics"], responses={200: OpenApiTypes.OBJECT}
    )
    def get(self, request):
        return Response({"rasters": [raster_summary(r) for r in RasterLayer.objects.all()]})

    @extend_schema(
        summary="Upload a single-band GeoTIFF (staff)",
        tags=["analytics"],
        request=UPLOAD_SCHEMA,
        responses={
            201: OpenApiTypes.OBJECT,
            202: OpenApiTypes.OBJECT,
            400: OpenApiTypes.OBJECT,
            413: OpenApiTypes.OBJECT,
        },  # fmt: skip
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
        if upload.size > inline_upload_max_bytes():  # checked and stored by a worker
            fields = ("slug", "kind", "unit", "description", "source", "licence", "attribution")
            params = {"title": title, **{f: str(request.data.get(f) or "") for f in fields}}
            job = job_create(
                kind=RASTER_UPLOAD, params=params, user=request.user, upload=upload,
                input_suffix=".tif",
            )  # fmt: skip
            return accepted(request, job)
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
                raise ValidationError({"file": [without_paths(str(exc))]}) from None
        return Response(raster_summary(layer), status=status.HTTP_201_CREATED)


class RasterDetailView(RasterPermissions, APIView):
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
