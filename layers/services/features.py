"""Writes of layers' features: every geometry checked at the door, attributes typed by
the layer's schema, the area found, the layer's version bumped."""

from pathlib import Path

from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from geoportal.sql import sql_file
from layers.geometry import GeometryError, check_mappable, conform, to_wgs84
from layers.models import Feature, Layer
from layers.schema import SchemaError, check_schema, clean_attributes
from layers.selectors.generations import current_generation_id

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


def clean_geometry(layer: Layer, geom: GEOSGeometry) -> GEOSGeometry:
    """The geometry as it will be stored, or GeometryError saying why not: in EPSG:4326,
    mappable, of the layer's type (layers.geometry.conform). An invalid polygon is refused
    here (imports repair on purpose and report it)."""
    geom = to_wgs84(geom)
    check_mappable(geom)
    geom, _ = conform(geom, layer.geometry_type, repair=False)
    return geom


def feature_create(
    *,
    layer: Layer,
    geom: GEOSGeometry,
    attributes: dict | None = None,
    external_id: str = "",
    condition: str = Feature.Condition.UNKNOWN,
) -> Feature:
    feature = Feature(layer=layer, external_id=external_id or "", condition=condition)
    return _save(feature, geom=geom, attributes=attributes or {})


def feature_update(
    *,
    feature: Feature,
    geom: GEOSGeometry | None = None,
    attributes: dict | None = None,
    external_id: str | None = None,
    condition: str | None = None,
) -> Feature:
    if external_id is not None:
        feature.external_id = external_id
    if condition is not None:
        feature.condition = condition
    return _save(
        feature,
        geom=geom,
        attributes=attributes if attributes is not None else feature.attributes,
    )


def feature_delete(*, feature: Feature) -> None:
    with transaction.atomic():
        layer_id = feature.layer_id
        feature.delete()
        bump_version(layer_id)


def _save(feature: Feature, *, geom: GEOSGeometry | None, attributes: dict) -> Feature:
    layer = feature.layer
    errors = {}
    if geom is not None:
        try:
            feature.geom = clean_geometry(layer, geom)
        except GeometryError as exc:
            errors["geometry"] = str(exc)
    try:
        feature.attributes = clean_attributes(layer.schema, attributes)
    except SchemaError as exc:
        errors["attributes"] = str(exc)
    if errors:
        raise ValidationError(errors)
    feature.full_clean(exclude=["geom", "attributes", "area"])
    with transaction.atomic():
        feature.save()
        assign_areas(layer_id=layer.pk, ids=[feature.pk])
        bump_version(layer.pk)
    feature.refresh_from_db(fields=["area", "updated_at"])
    return feature


def assign_areas(
    *, layer_id: int | None, ids: list[int] | None = None, generation_id: int | None = None
) -> int:
    """Places features (of a layer, or of every layer) in the areas of a generation: the
    current one unless told (a new generation is being loaded)."""
    params = {"layer": layer_id, "ids": ids}
    params["generation"] = generation_id or current_generation_id()
    with connection.cursor() as cursor:
        cursor.execute(sql_file(SQL_DIR / "assign_areas.sql"), params)
        return cursor.rowcount


# Other apps told of every data change of a layer, in its transaction (outgoing webhooks).
ON_CHANGE: list = []


def bump_version(layer_id: int) -> None:
    """Every data change gives the layer a new version: tiles and ETags follow it."""
    Layer.objects.filter(pk=layer_id).update(version=F("version") + 1, updated_at=timezone.now())
    for listener in ON_CHANGE:
        listener(layer_id)


def layer_create(**fields) -> Layer:
    layer = Layer(**fields)
    try:
        check_schema(layer.schema)
    except SchemaError as exc:
        raise ValidationError({"schema": str(exc)}) from exc
    layer.full_clean()
    layer.save()
    return layer
