"""Importing a GIS file into a layer: every row checked, then one transaction.

Any problem row (no geometry, out of range, wrong type, attribute that does not fit the
schema, duplicate external id) fails the whole import with a report naming the rows;
`dry_run` only reports. Features are upserted by external id (a field of the file, or a
digest of the row when the file has no id) so that importing the same file twice
changes nothing."""

import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import shapely
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction
from shapely.geometry.base import BaseGeometry

from geoportal.sql import sql_file
from layers.geometry import GeometryError, check_mappable, check_range, conform
from layers.imports import ImportFailed
from layers.imports.reader import read
from layers.imports.staging import Stage, check_local_path
from layers.models import AdminAreaPart, Feature, Layer
from layers.schema import RESERVED, SchemaError, clean_attributes, types
from layers.services.features import assign_areas, bump_version

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
BATCH = 5000
MAX_LISTED = 20
# Rows farther than this from every area (about 11 km) are outside the service area.
SERVICE_MARGIN_DEGREES = 0.1
Progress = Callable[..., Iterable]


@dataclass
class ImportOptions:
    layer: str
    title: str = ""
    source_layer: str | None = None
    fields: dict[str, str] | None = None  # attribute name -> source field
    id_field: str | None = None
    condition_field: str | None = None
    encoding: str | None = None
    srid: int | None = None
    null_values: tuple[str, ...] = ()
    replace: bool = False
    dry_run: bool = False
    force: bool = False  # import although most rows fall outside the service area
    layer_defaults: dict = field(default_factory=dict)  # licence, attribution, source, ...


@dataclass
class ImportReport:
    layer: str
    rows: int = 0
    valid: int = 0
    invalid: list[str] = field(default_factory=list)
    invalid_count: int = 0
    repaired: int = 0
    duplicates: int = 0
    out_of_area: int = 0
    unmapped_fields: list[str] = field(default_factory=list)
    # source field -> attribute, where the field's own name is one of Komin's properties
    renamed_fields: dict[str, str] = field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    dry_run: bool = False
    version: int | None = None

    def add_invalid(self, row: int, message: str) -> None:
        self.invalid_count += 1
        if len(self.invalid) < MAX_LISTED:
            self.invalid.append(f"row {row}: {message}")

    def as_dict(self) -> dict:
        return dict(self.__dict__)

    def summary(self) -> str:
        lines = [
            f"layer {self.layer}: {self.rows} rows, {self.valid} valid, "
            f"{self.invalid_count} invalid, {self.repaired} repaired, "
            f"{self.duplicates} duplicate rows skipped, {self.out_of_area} outside every area",
            f"unmapped fields: {', '.join(self.unmapped_fields) or 'none'}",
        ]
        if self.renamed_fields:
            renamed = ", ".join(f"{src} -> {dst}" for src, dst in self.renamed_fields.items())
            lines.append(f"renamed (reserved names): {renamed}")
        lines += [f"  {line}" for line in self.invalid]
        if self.invalid_count > len(self.invalid):
            lines.append(f"  ... and {self.invalid_count - len(self.invalid)} more")
        if self.dry_run:
            lines.append("dry run: nothing written")
        else:
            lines.append(
                f"written: {self.created} created, {self.updated} updated, "
                f"{self.unchanged} unchanged, {self.deleted} deleted; "
                f"layer version {self.version}"
            )
        return "\n".join(lines)


@dataclass
class Row:
    external_id: str
    ewkb: bytes
    attributes: dict
    condition: str | None


def import_file(
    *,
    path: Path,
    name: str | None = None,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports `path` (`name` is what the user called it; it decides the expected type)."""
    progress = progress or (lambda rows, **kwargs: rows)
    path = check_local_path(str(path))
    with Stage() as stage:
        staged = stage.add(path, name or path.name, encoding=options.encoding, srid=options.srid)
        frame = read(
            staged,
            name=name or path.name,
            layer=options.source_layer,
            encoding=options.encoding,
            srid=options.srid,
        )
    layer = Layer.objects.filter(slug=options.layer).first()
    mapping, schema = plan_fields(frame, options, layer)
    report = ImportReport(layer=options.layer, dry_run=options.dry_run, rows=len(frame))
    report.renamed_fields = {
        source: target
        for target, source in mapping.items()
        if target != attribute_name(source) and attribute_name(source) in RESERVED
    }
    report.unmapped_fields = sorted(
        set(frame.columns) - {"geometry"} - set(mapping.values()) - {options.id_field}
    )
    geometry_type = layer.geometry_type if layer else guess_geometry_type(frame)
    rows = check_rows(frame, mapping, schema, geometry_type, options, report, progress)
    report.valid = len(rows)
    report.out_of_area = count_out_of_area(rows)
    if report.invalid_count:
        raise ImportRejected(report)
    if not options.force:
        check_service_area(rows, report)
    if options.dry_run:
        return report
    with transaction.atomic():
        changed = layer is None or layer.schema != schema
        layer = layer or create_layer(options, geometry_type, schema)
        if layer.schema != schema:
            layer.schema = schema
            layer.save(update_fields=["schema", "updated_at"])
        write(layer, rows, options, report, progress)
        if changed or report.created or report.updated or report.deleted:
            bump_version(layer.pk)  # a file imported again unchanged keeps the version
    layer.refresh_from_db(fields=["version"])
    report.version = layer.version
    return report


class ImportRejected(ImportFailed):
    """Some rows do not fit: the report lists them. Nothing was written."""

    def __init__(self, report: ImportReport):
        self.report = report
        super().__init__(
            f"{report.invalid_count} of {report.rows} rows cannot be imported; "
            + "; ".join(report.invalid[:5])
        )


class OutsideServiceArea(ImportRejected):
    """Most rows fall outside the service area; the message says what it looks like."""

    def __init__(self, report: ImportReport, message: str):
        self.report = report
        ImportFailed.__init__(self, message)


def attribute_name(source: str) -> str:
    name = re.sub(r"[^a-z0-9]+", "_", source.lower()).strip("_")
    if not name or not name[0].isalpha():
        name = f"f_{name}"
    return name[:63]


def source_attribute_name(source: str) -> str:
    """The attribute a source field becomes; `AREA`, `id`, `condition`... would be shadowed
    by Komin's own properties, so they become `source_area`, `source_id`..."""
    name = attribute_name(source)
    return f"source_{name}"[:63] if name in RESERVED else name


def plan_fields(frame, options: ImportOptions, layer: Layer | None):
    """The mapping attribute -> source column, and the layer's schema extended with any
    attribute it did not have (typed from the column)."""
    columns = [c for c in frame.columns if c != "geometry"]
    skip = {options.id_field, options.condition_field}
    mapping = options.fields or {source_attribute_name(c): c for c in columns if c not in skip}
    missing = sorted(
        src for src in list(mapping.values()) + list(skip - {None}) if src not in columns
    )
    if missing:
        raise ImportFailed(
            f"no field(s) {', '.join(missing)} in the file; its fields: {', '.join(columns)}"
        )
    schema = list(layer.schema) if layer else []
    known = types(schema)
    for target, source in mapping.items():
        if target != attribute_name(target):
            raise ImportFailed(f"attribute name {target!r}: use lower case letters, digits and _")
        if target in RESERVED:
            raise ImportFailed(
                f"attribute name {target!r} is reserved for Komin's own property; "
                f"map {source!r} to e.g. source_{target}"
            )
        if target not in known:
            schema.append({"name": target, "type": column_type(frame[source]), "label": source})
    return mapping, schema


def column_type(series) -> str:
    kind = series.dtype.kind
    return {"i": "integer", "u": "integer", "f": "number", "b": "boolean", "M": "date"}.get(
        kind, "string"
    )


def guess_geometry_type(frame) -> str:
    kinds = {g.geom_type for g in frame.geometry if g is not None and not g.is_empty}
    if kinds <= {"Point", "MultiPoint"} and all(
        len(g.geoms) == 1 for g in frame.geometry if g is not None and g.geom_type == "MultiPoint"
    ):
        return "Point"
    if len(kinds) == 1:
        return kinds.pop()
    for multi in ("MultiPoint", "MultiLineString", "MultiPolygon"):  # e.g. a Shapefile's
        if kinds <= {multi, multi.removeprefix("Multi")}:  # mix of Polygon and MultiPolygon
            return multi
    return "Geometry"


def check_rows(frame, mapping, schema, geometry_type, options, report, progress) -> list[Row]:
    rows: list[Row] = []
    seen: set[str] = set()
    records = frame.drop(columns="geometry").to_dict("records")
    geometries = list(frame.geometry)
    for number, (record, geom) in enumerate(
        progress(zip(records, geometries, strict=True), total=len(records), desc="checking"),
        start=1,
    ):
        try:
            row = make_row(record, geom, mapping, schema, geometry_type, options, report)
        except (GeometryError, SchemaError, ImportFailed) as exc:
            report.add_invalid(number, str(exc))
            continue
        if row.external_id in seen:
            if options.id_field:
                report.add_invalid(number, f"external id {row.external_id!r} appears twice")
            else:
                report.duplicates += 1
            continue
        seen.add(row.external_id)
        rows.append(row)
    return rows


def make_row(record, geom, mapping, schema, geometry_type, options, report) -> Row:
    geom = checked_geometry(geom, geometry_type, report)
    values = {target: cleaned(record.get(source), options) for target, source in mapping.items()}
    attributes = clean_attributes(schema, values)
    if options.id_field:
        external_id = cleaned(record.get(options.id_field), options)
        if external_id is None:
            raise ImportFailed(f"no {options.id_field} (the external id)")
        external_id = str(int(external_id) if isinstance(external_id, float) else external_id)
    else:
        digest = hashlib.sha1(  # a content key, not a security boundary: same digest as ever
            geom.wkb + json.dumps(attributes, sort_keys=True).encode(), usedforsecurity=False
        )
        external_id = f"sha1:{digest.hexdigest()}"
    condition = None
    if options.condition_field:
        condition = cleaned(record.get(options.condition_field), options)
        if condition is not None and condition not in Feature.Condition.values:
            raise ImportFailed(
                f"condition {condition!r} is not one of {', '.join(Feature.Condition.values)}"
            )
    return Row(
        external_id=external_id[:200],
        ewkb=shapely.to_wkb(shapely.set_srid(geom, 4326), include_srid=True),
        attributes=attributes,
        condition=condition,
    )


def cleaned(value, options: ImportOptions):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, str):
        value = value.strip()
        if value == "" or value in options.null_values:
            return None
    return value


def checked_geometry(geom: BaseGeometry | None, geometry_type: str, report) -> BaseGeometry:
    """The row's geometry through the same door as API edits (layers.geometry.conform),
    with invalid polygons repaired on purpose and counted."""
    if geom is None or geom.is_empty:
        raise GeometryError("no geometry")
    checked = GEOSGeometry(memoryview(geom.wkb), srid=4326)
    check_range(checked)
    check_mappable(checked)
    checked, repaired = conform(checked, geometry_type, repair=True)
    report.repaired += repaired
    return shapely.from_wkb(bytes(checked.wkb))


def count_out_of_area(rows: list[Row], *, flip: bool = False, margin: float = 0.0) -> int:
    if not rows:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            sql_file(SQL_DIR / "out_of_area.sql"),
            {"geoms": [r.ewkb for r in rows], "flip": flip, "margin": margin},
        )
        return cursor.fetchone()[0]


def check_service_area(rows: list[Row], report: ImportReport) -> None:
    """Most rows outside every area we serve is a wrong file, CRS or column order, not
    data to publish: refused unless forced, saying which it looks like."""
    if not rows or report.out_of_area * 2 <= len(rows) or not AdminAreaPart.objects.exists():
        return
    far = count_out_of_area(rows, margin=SERVICE_MARGIN_DEGREES)
    if far * 2 <= len(rows):  # just offshore (a pier, a buoy, a coarse coastline)
        return
    inside_if_swapped = len(rows) - count_out_of_area(rows, flip=True)
    if inside_if_swapped * 2 > len(rows):
        hint = (
            f"{inside_if_swapped} would fall inside with x and y swapped: the latitude and "
            "longitude columns look swapped"
        )
    else:
        hint = "check the coordinate system (srid) and the columns holding coordinates"
    raise OutsideServiceArea(
        report,
        f"{far} of {len(rows)} rows fall outside the area Komin serves; "
        f"{hint}. Nothing was written; import with force to publish them anyway.",
    )


def create_layer(options: ImportOptions, geometry_type: str, schema: list[dict]) -> Layer:
    layer = Layer(
        slug=options.layer,
        title=options.title or options.layer,
        geometry_type=geometry_type,
        schema=schema,
        **options.layer_defaults,
    )
    layer.full_clean()
    layer.save()
    return layer


def write(layer: Layer, rows: list[Row], options, report: ImportReport, progress) -> None:
    sql = sql_file(SQL_DIR / "upsert_features.sql")
    ids: list[int] = []
    batches = range(0, len(rows), BATCH)
    with connection.cursor() as cursor:
        for start in progress(batches, total=len(batches), desc="writing"):
            batch = rows[start : start + BATCH]
            cursor.execute(
                sql,
                {
                    "layer": layer.pk,
                    "geoms": [r.ewkb for r in batch],
                    "attributes": [json.dumps(r.attributes) for r in batch],
                    "ids": [r.external_id for r in batch],
                    "conditions": [r.condition for r in batch],
                    "has_condition": bool(options.condition_field),
                },
            )
            for feature_id, inserted in cursor.fetchall():
                ids.append(feature_id)
                report.created += inserted
                report.updated += not inserted
        report.unchanged = len(rows) - report.created - report.updated
        if options.replace:
            cursor.execute(
                "DELETE FROM layers_feature WHERE layer_id = %s AND NOT (external_id = ANY(%s))",
                [layer.pk, [r.external_id for r in rows]],
            )
            report.deleted = cursor.rowcount
    if ids:
        assign_areas(layer_id=layer.pk, ids=ids)
