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
from layers.imports.reader import open_source
from layers.imports.staging import Stage, check_local_path
from layers.models import AdminAreaPart, Feature, Layer
from layers.schema import RESERVED, SchemaError, clean_attributes, types
from layers.selectors.generations import current_generation_id
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
            lines.append(
                f"dry run: nothing written; would create {self.created}, update "
                f"{self.updated}, delete {self.deleted}"
            )
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
    kind: str = ""


def import_file(
    *,
    path: Path,
    name: str | None = None,
    options: ImportOptions,
    progress: Progress | None = None,
) -> ImportReport:
    """Imports `path` (`name` is what the user called it; it decides the expected type).

    Rows are read, checked and written one batch at a time inside one transaction, so
    memory stays bounded whatever the file's size; if any row is refused the transaction
    is rolled back and nothing is written (a dry run writes nothing at all)."""
    progress = progress or (lambda rows, **kwargs: rows)
    path = check_local_path(str(path))
    name = name or path.name
    with Stage() as stage:
        staged = stage.add(path, name, encoding=options.encoding, srid=options.srid)
        source = open_source(
            staged, name=name, layer=options.source_layer, encoding=options.encoding,
            srid=options.srid,
        )  # fmt: skip
        layer = Layer.objects.filter(slug=options.layer).first()
        mapping, schema = plan_fields(source.fields, options, layer)
        report = ImportReport(layer=options.layer, dry_run=options.dry_run, rows=source.rows)
        report.unmapped_fields = sorted(
            set(source.fields) - set(mapping.values()) - {options.id_field}
        )
        report.renamed_fields = {
            source_field: target
            for target, source_field in mapping.items()
            if target != attribute_name(source_field) and attribute_name(source_field) in RESERVED
        }
        try:
            with transaction.atomic():
                layer = check_and_write(source, layer, mapping, schema, options, report, progress)
                if report.invalid_count:
                    raise ImportRejected(report)
                if options.dry_run:
                    raise _DryRunDone
        except _DryRunDone:
            return report
    layer.refresh_from_db(fields=["version"])
    report.version = layer.version
    return report


def preview(layer: Layer | None, incoming: set[str], options, report: ImportReport) -> None:
    """What a real run would do, counted without writing: a `replace` that would wipe most
    of a layer shows here first (features are matched by external id, as the write does)."""
    if layer is None:
        report.created = report.valid
        return
    report.updated = layer.features.filter(external_id__in=incoming).count()
    report.created = report.valid - report.updated
    if options.replace:
        report.deleted = layer.features.count() - report.updated


class _DryRunDone(Exception):
    """Rolls back the dry run's transaction (it writes nothing, but stays uniform)."""


def check_and_write(source, layer, mapping, schema, options, report, progress) -> Layer | None:
    """One pass over the rows: each batch is checked, counted and (unless a dry run or
    a row was refused) written. Returns the layer written to."""
    writing = not options.dry_run
    geometry_type = layer.geometry_type if layer else None
    schema_changed = layer is None or layer.schema != schema
    if writing:
        layer = layer or create_layer(options, "Geometry", schema)
        if layer.schema != schema:
            layer.schema = schema
            layer.save(update_fields=["schema", "updated_at"])
    seen: set[str] = set()
    kinds: set[str] = set()
    ids: list[int] = []
    number = far = inside_if_swapped = 0
    batches = math.ceil(source.rows / source.batch_rows)
    for batch in progress(source.batches(), total=batches, desc="batches of rows"):
        rows = check_batch(batch, number, mapping, schema, geometry_type, options, report, seen)
        number += len(batch.records)
        report.valid += len(rows)
        outside = count_out_of_area(rows)
        report.out_of_area += outside
        if outside and not options.force:  # what the service-area check needs, per batch
            far += count_out_of_area(rows, margin=SERVICE_MARGIN_DEGREES)
            inside_if_swapped += len(rows) - count_out_of_area(rows, flip=True)
        kinds.update(row.kind for row in rows)
        if writing and not report.invalid_count:
            ids += write_rows(layer, rows, options, report)
    report.rows = number
    if not options.force and not report.invalid_count:
        check_service_area(report, far=far, inside_if_swapped=inside_if_swapped)
    if report.invalid_count:
        return layer
    if not writing:
        preview(layer, seen, options, report)
        return layer
    report.unchanged = report.valid - report.created - report.updated
    if options.replace:
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM layers_feature WHERE layer_id = %s AND NOT (external_id = ANY(%s))",
                [layer.pk, list(seen)],
            )
            report.deleted = cursor.rowcount
    if ids:
        assign_areas(layer_id=layer.pk, ids=ids)
    if geometry_type is None:  # a new layer: its type is what the rows turned out to be
        layer.geometry_type = guess_geometry_type(kinds)
        layer.save(update_fields=["geometry_type", "updated_at"])
    if schema_changed or report.created or report.updated or report.deleted:
        bump_version(layer.pk)  # a file imported again unchanged keeps the version
    return layer


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


def plan_fields(fields: dict[str, str], options: ImportOptions, layer: Layer | None):
    """The mapping attribute -> source column, and the layer's schema extended with any
    attribute it did not have (typed from the column). `fields`: name -> dtype kind."""
    columns = list(fields)
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
            schema.append({"name": target, "type": column_type(fields[source]), "label": source})
    return mapping, schema


def column_type(kind: str) -> str:
    return {"i": "integer", "u": "integer", "f": "number", "b": "boolean", "M": "date"}.get(
        kind, "string"
    )


def guess_geometry_type(kinds: set[str]) -> str:
    if kinds <= {"Point"}:
        return "Point"
    if len(kinds) == 1:
        return next(iter(kinds))
    for multi in ("MultiPoint", "MultiLineString", "MultiPolygon"):  # e.g. a Shapefile's
        if kinds <= {multi, multi.removeprefix("Multi")}:  # mix of Polygon and MultiPolygon
            return multi
    return "Geometry"


def check_batch(batch, start, mapping, schema, geometry_type, options, report, seen) -> list[Row]:
    rows: list[Row] = []
    for number, (record, geom) in enumerate(
        zip(batch.records, batch.geometries, strict=True), start=start + 1
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
        kind=geom.geom_type,
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
            {
                "geoms": [r.ewkb for r in rows],
                "flip": flip,
                "margin": margin,
                "generation": current_generation_id(),
            },
        )
        return cursor.fetchone()[0]


def check_service_area(report: ImportReport, *, far: int, inside_if_swapped: int) -> None:
    """Most rows outside every area we serve is a wrong file, CRS or column order, not
    data to publish: refused unless forced, saying which it looks like. `far` and
    `inside_if_swapped` are counted batch by batch."""
    rows = report.valid
    if not rows or report.out_of_area * 2 <= rows or not AdminAreaPart.objects.exists():
        return
    if far * 2 <= rows:  # just offshore (a pier, a buoy, a coarse coastline)
        return
    if inside_if_swapped * 2 > rows:
        hint = (
            f"{inside_if_swapped} would fall inside with x and y swapped: the latitude and "
            "longitude columns look swapped"
        )
    else:
        hint = "check the coordinate system (srid) and the columns holding coordinates"
    raise OutsideServiceArea(
        report,
        f"{far} of {rows} rows fall outside the area Komin serves; "
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


def write_rows(layer: Layer, rows: list[Row], options, report: ImportReport) -> list[int]:
    """Upserts one batch; returns the ids of its features."""
    ids: list[int] = []
    if not rows:
        return ids
    with connection.cursor() as cursor:
        cursor.execute(
            sql_file(SQL_DIR / "upsert_features.sql"),
            {
                "layer": layer.pk,
                "geoms": [r.ewkb for r in rows],
                "attributes": [json.dumps(r.attributes) for r in rows],
                "ids": [r.external_id for r in rows],
                "conditions": [r.condition for r in rows],
                "has_condition": bool(options.condition_field),
            },
        )
        for feature_id, inserted in cursor.fetchall():
            ids.append(feature_id)
            report.created += inserted
            report.updated += not inserted
    return ids
