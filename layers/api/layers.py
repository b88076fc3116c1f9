"""Infrastructure layers: list, detail, features as GeoJSON, staff edits and imports."""

import os
import tempfile
from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.params import query_int
from geoportal.parsers import FormParser, JSONParser, MultiPartParser
from geoportal.text import TextError, loads
from layers import conf
from layers.api.geojson import GEOJSON, collection_response, page_links
from layers.api.negotiation import GeoJSONNegotiation
from layers.api.query import parse_query
from layers.geometry import GeometryError, parse_geojson
from layers.imports import ImportFailed
from layers.models import Feature, Layer
from layers.selectors import features as selectors
from layers.services import features as services
from layers.services.imports import ImportOptions, ImportRejected, import_file


class IsStaffOrReadOnly(permissions.BasePermission):
    message = "Only staff can change layers."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or selectors.is_staff(request.user)


def layer_json(layer: Layer, request, *, staff: bool) -> dict:
    schema = layer.schema if staff else [a for a in layer.schema if not a.get("private")]
    absolute = request.build_absolute_uri
    return {
        "slug": layer.slug,
        "title": layer.title,
        "description": layer.description,
        "geometry_type": layer.geometry_type,
        "schema": schema,
        "style": layer.style,
        "source": layer.source,
        "licence": layer.licence,
        "attribution": layer.attribution,
        "visibility": layer.visibility,
        "version": layer.version,
        "point_min_zoom": layer.point_min_zoom,
        "updated_at": layer.updated_at.isoformat(),
        "links": {
            "self": absolute(f"/api/v1/layers/{layer.slug}/"),
            "features": absolute(f"/api/v1/layers/{layer.slug}/features/"),
            **(
                {
                    "tiles": absolute(f"/tiles/{layer.slug}/") + "{z}/{x}/{y}.pbf",
                    "tilejson": absolute(f"/tiles/{layer.slug}.json"),
                    "ogc": absolute(f"/ogc/collections/{layer.slug}"),
                }
                if layer.is_public
                else {}
            ),
        },
    }


def get_layer(slug: str, request) -> Layer:
    layer = selectors.layer_by_slug(slug, request.user)
    if layer is None:
        raise NotFound(f"No layer {slug!r}.")
    return layer


def parse_feature_body(data) -> dict:
    """A GeoJSON Feature: geometry, and properties holding the attributes plus the
    reserved `external_id` and `condition`."""
    if not isinstance(data, dict) or data.get("type") != "Feature":
        raise ValidationError({"type": ["Send a GeoJSON Feature."]})
    properties = data.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValidationError({"properties": ["Must be an object."]})
    properties = dict(properties)
    fields = {
        key: properties.pop(key)
        for key in ("external_id", "condition")
        if key in properties and properties[key] is not None
    }
    for ignored in ("area", "updated", "created"):
        properties.pop(ignored, None)
    if "geometry" in data:
        fields["geom"] = parse_geometry(data["geometry"])
    fields["attributes"] = properties
    return fields


def parse_geometry(value) -> GEOSGeometry:
    if not isinstance(value, dict) or "type" not in value:
        raise ValidationError({"geometry": ["Expected a GeoJSON geometry object."]})
    try:
        return parse_geojson(value)
    except GeometryError as exc:
        raise ValidationError({"geometry": [str(exc)]}) from None


def raise_validation(exc: DjangoValidationError):
    fields = getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages}
    raise ValidationError(fields) from exc


def feature_response(layer: Layer, feature_id: int, *, staff: bool, status: int = 200):
    body = selectors.feature_geojson(layer, feature_id, staff=staff)
    if body is None:
        raise NotFound(f"No feature {feature_id} in layer {layer.slug!r}.")
    return HttpResponse(body, content_type=GEOJSON, status=status)


class LayerListView(APIView):
    @extend_schema(summary="Infrastructure layers (staff also see staff-only layers)")
    def get(self, request):
        staff = selectors.is_staff(request.user)
        layers = selectors.visible_layers(request.user)
        return Response({"layers": [layer_json(layer, request, staff=staff) for layer in layers]})


class LayerDetailView(APIView):
    @extend_schema(summary="One layer: metadata, attribute schema, style, links")
    def get(self, request, slug: str):
        staff = selectors.is_staff(request.user)
        return Response(layer_json(get_layer(slug, request), request, staff=staff))


class FeatureListView(APIView):
    content_negotiation_class = GeoJSONNegotiation
    permission_classes = [IsStaffOrReadOnly]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="A layer's features as a GeoJSON FeatureCollection, paged",
        parameters=[
            OpenApiParameter("bbox", str, description="minlon,minlat,maxlon,maxlat"),
            OpenApiParameter("limit", int, description="page size (hard cap in settings)"),
            OpenApiParameter("offset", int),
            OpenApiParameter("condition", str),
            OpenApiParameter("datetime", str, description="RFC 3339 instant or interval"),
        ],
        responses={(200, GEOJSON): OpenApiTypes.OBJECT},
    )
    def get(self, request, slug: str):
        layer = get_layer(slug, request)
        staff = selectors.is_staff(request.user)
        query = parse_query(request.query_params, layer=layer, staff=staff)
        page = selectors.feature_page(layer, query, staff=staff)
        extra = {"layer": layer.slug, "version": layer.version}
        return collection_response(page, query, links=page_links(request, page, query), extra=extra)

    @extend_schema(summary="Create a feature (staff)", request=OpenApiTypes.OBJECT)
    def post(self, request, slug: str):
        layer = get_layer(slug, request)
        fields = parse_feature_body(request.data)
        if "geom" not in fields:
            raise ValidationError({"geometry": ["This field is required."]})
        # The answer is built inside the write's transaction: if it cannot be, nothing stays.
        with transaction.atomic():
            try:
                feature = services.feature_create(layer=layer, **fields)
            except DjangoValidationError as exc:
                raise_validation(exc)
            return feature_response(layer, feature.pk, staff=True, status=201)


class FeatureDetailView(APIView):
    content_negotiation_class = GeoJSONNegotiation
    permission_classes = [IsStaffOrReadOnly]
    parser_classes = [JSONParser]

    def _feature(self, layer: Layer, feature_id: int) -> Feature:
        feature = selectors.feature_by_id(layer, feature_id)
        if feature is None:
            raise NotFound(f"No feature {feature_id} in layer {layer.slug!r}.")
        return feature

    @extend_schema(
        summary="One feature as GeoJSON", responses={(200, GEOJSON): OpenApiTypes.OBJECT}
    )
    def get(self, request, slug: str, feature_id: int):
        layer = get_layer(slug, request)
        return feature_response(layer, feature_id, staff=selectors.is_staff(request.user))

    @extend_schema(summary="Replace a feature (staff)", request=OpenApiTypes.OBJECT)
    def put(self, request, slug: str, feature_id: int):
        return self._update(request, slug, feature_id, partial=False)

    @extend_schema(summary="Change a feature (staff)", request=OpenApiTypes.OBJECT)
    def patch(self, request, slug: str, feature_id: int):
        return self._update(request, slug, feature_id, partial=True)

    def _update(self, request, slug, feature_id, *, partial: bool):
        layer = get_layer(slug, request)
        feature = self._feature(layer, feature_id)
        fields = parse_feature_body(request.data)
        if not partial and "geom" not in fields:
            raise ValidationError({"geometry": ["This field is required."]})
        if partial:
            fields["attributes"] = {**feature.attributes, **fields["attributes"]}
        with transaction.atomic():  # as in post: no error answer after a commit
            try:
                services.feature_update(feature=feature, **fields)
            except DjangoValidationError as exc:
                raise_validation(exc)
            return feature_response(layer, feature.pk, staff=True)

    @extend_schema(summary="Delete a feature (staff)")
    def delete(self, request, slug: str, feature_id: int):
        layer = get_layer(slug, request)
        services.feature_delete(feature=self._feature(layer, feature_id))
        return Response(status=204)


class LayerImportView(APIView):
    """Staff upload of a GIS file into a layer (created if new); `dry_run=true` only
    validates. The upload is streamed to a temporary file, never held in memory."""

    permission_classes = [permissions.IsAdminUser]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="Import a GIS file into a layer (staff)",
        request={"multipart/form-data": OpenApiTypes.OBJECT},
    )
    def post(self, request, slug: str):
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Attach the file to import."]})
        if upload.size > conf.import_max_bytes():
            raise ValidationError(
                {
                    "file": [
                        f"{upload.size} bytes is more than the limit of {conf.import_max_bytes()}."
                    ]
                }
            )
        options = import_options(slug, request.data)
        suffix = Path(upload.name).suffix.lower()[:10]
        handle, temp = tempfile.mkstemp(prefix="komin-upload-", suffix=suffix)
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            report = import_file(path=Path(temp), name=upload.name, options=options)
        except ImportRejected as exc:
            return Response(
                {"error": "import_rejected", "detail": str(exc), "report": exc.report.as_dict()},
                status=400,
            )
        except ImportFailed as exc:
            return Response({"error": "import_failed", "detail": str(exc)}, status=400)
        except DjangoValidationError as exc:
            raise_validation(exc)
        finally:
            os.unlink(temp)
        return Response(report.as_dict(), status=200 if options.dry_run else 201)


def import_options(slug: str, data) -> ImportOptions:
    def text(name):
        value = data.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else None

    fields = None
    if text("fields"):
        try:
            fields = loads(text("fields"), name="fields")
        except TextError as exc:
            raise ValidationError(
                {"fields": [f"Expected a JSON object {{attribute: field}}: {exc}"]}
            ) from None
        if not isinstance(fields, dict) or not all(isinstance(v, str) for v in fields.values()):
            raise ValidationError({"fields": ["Expected a JSON object {attribute: field}."]})
    srid = query_int(data, "srid", minimum=1, maximum=999_999)
    return ImportOptions(
        layer=slug,
        title=text("title") or "",
        source_layer=text("source_layer"),
        fields=fields,
        id_field=text("id_field"),
        condition_field=text("condition_field"),
        encoding=text("encoding"),
        srid=srid,
        null_values=tuple(data.getlist("null_value")) if hasattr(data, "getlist") else (),
        replace=text("replace") in ("1", "true", "yes"),
        dry_run=text("dry_run") in ("1", "true", "yes"),
        force=text("force") in ("1", "true", "yes"),
        layer_defaults={
            key: text(key) for key in ("licence", "attribution", "description") if text(key)
        },
    )
