"""Loading administrative boundaries from any OGR source (Shapefile, GeoPackage, GeoJSON...)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry
from django.db import connection, transaction

from layers.geometry import GeometryError, as_multipolygon, to_wgs84
from layers.levels import Level
from layers.models import AdminArea

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
REQUIRED_FIELDS = ("pcode", "name_fr")


class BoundaryImportError(Exception):
    """The source cannot be loaded; nothing was written."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    repaired: list[str] = field(default_factory=list)
    derived: int = 0

    def merge(self, other: "LoadReport") -> None:
        self.created += other.created
        self.updated += other.updated
        self.repaired += other.repaired


@dataclass(frozen=True)
class BoundarySource:
    path: Path
    level: str
    fields: dict[str, str]
    layer: str | None = None
    dataset: str = ""
    valid_on: date | None = None


def load_boundaries(
    *,
    sources: Iterable[BoundarySource],
    derive_arrondissements: int | None = None,
    progress: Callable[[Iterable, str, int], Iterable] = lambda rows, label, total: rows,
) -> LoadReport:
    """Upserts every source by P-code, then rebuilds parents, derived areas, simplified
    geometries and the subdivided lookup index, all in one transaction."""
    report = LoadReport()
    with transaction.atomic():
        for source in sources:
            report.merge(_load_source(source, progress))
        report.derived = finalize_boundaries(derive_arrondissements=derive_arrondissements)
    return report


def _open_layer(source: BoundarySource):
    if not source.path.exists():
        raise BoundaryImportError(f"{source.path}: no such file")
    try:
        data_source = DataSource(str(source.path))
    except GDALException as exc:
        raise BoundaryImportError(f"{source.path}: not a readable GIS file ({exc})") from exc
    names = [layer.name for layer in data_source]
    if source.layer:
        if source.layer not in names:
            raise BoundaryImportError(f"{source.path}: no layer {source.layer!r} (layers: {names})")
        return data_source, data_source[source.layer]
    if len(names) != 1:
        raise BoundaryImportError(f"{source.path}: has layers {names}; say which with --layer")
    return data_source, data_source[0]


def _check_fields(source: BoundarySource, layer) -> None:
    if source.level not in Level.values:
        raise BoundaryImportError(f"unknown level {source.level!r}; levels: {Level.values}")
    for required in REQUIRED_FIELDS:
        if required not in source.fields:
            raise BoundaryImportError(f"the field mapping must name a field for {required!r}")
    missing = [name for name in source.fields.values() if name not in layer.fields]
    if missing:
        raise BoundaryImportError(
            f"{source.path}: fields {missing} not found; the file has {layer.fields}"
        )
    if layer.srs is None:
        raise BoundaryImportError(
            f"{source.path}: no coordinate reference system (is the .prj file missing?)"
        )


def _load_source(source: BoundarySource, progress) -> LoadReport:
    data_source, layer = _open_layer(source)
    _check_fields(source, layer)
    report = LoadReport()
    existing = set(AdminArea.objects.values_list("pcode", flat=True))
    seen: set[str] = set()
    srid = layer.srs.srid
    for number, feature in enumerate(progress(layer, source.path.name, len(layer)), start=1):
        where = f"{source.path.name} feature {number}"
        values = {key: _text(feature, name) for key, name in source.fields.items()}
        pcode = values["pcode"]
        if not pcode:
            raise BoundaryImportError(f"{where}: empty P-code in field {source.fields['pcode']}")
        if pcode in seen:
            raise BoundaryImportError(f"{where}: P-code {pcode} appears twice")
        seen.add(pcode)
        geom, repaired = _geometry(_feature_geometry(feature), srid, where=f"{where} ({pcode})")
        if repaired:
            report.repaired.append(pcode)
        AdminArea.objects.update_or_create(
            pcode=pcode,
            defaults={
                "level": source.level,
                "name_fr": values["name_fr"],
                "name_ht": values.get("name_ht", ""),
                "name_en": values.get("name_en", ""),
                "parent_pcode": values.get("parent", ""),
                "geom": geom,
                "source": source.dataset,
                "valid_on": source.valid_on,
                "derived": False,
            },
        )
        if pcode in existing:
            report.updated += 1
        else:
            report.created += 1
    del data_source
    return report


def _feature_geometry(feature) -> OGRGeometry | None:
    try:
        return feature.geom
    except GDALException:  # OGR returns a null pointer for a feature without geometry
        return None


def _text(feature, name: str) -> str:
    value = feature.get(name)
    return "" if value is None else str(value).strip()


def _geometry(ogr: OGRGeometry | None, srid: int | None, *, where: str):
    if ogr is None:
        raise BoundaryImportError(f"{where}: no geometry")
    try:
        geom = ogr.geos
        geom.srid = srid or ogr.srid
        geom = to_wgs84(geom)
        return as_multipolygon(geom)
    except (GeometryError, GDALException) as exc:
        raise BoundaryImportError(f"{where}: {exc}") from exc


def finalize_boundaries(*, derive_arrondissements: int | None = None) -> int:
    """Rebuilds what is computed from the loaded boundaries. Returns the number of
    derived arrondissements."""
    derived = 0
    with connection.cursor() as cursor:
        if derive_arrondissements:
            cursor.execute(
                (SQL_DIR / "derive_arrondissements.sql").read_text(),
                {"prefix": derive_arrondissements},
            )
            cursor.execute("SELECT count(*) FROM layers_adminarea WHERE derived")
            derived = cursor.fetchone()[0]
        cursor.execute((SQL_DIR / "finalize_boundaries.sql").read_text())
        cursor.execute((SQL_DIR / "derived_population.sql").read_text())
    return derived
