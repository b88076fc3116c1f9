"""Loading administrative boundaries from any OGR source (Shapefile, GeoPackage, GeoJSON...).

A load either starts a new generation (a new release: the previous generation is kept,
read-only, and the levels this release does not bring are carried over) or amends the
current one (e.g. a second level of the same release loaded from another file)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.gis.gdal import DataSource, GDALException, OGRGeometry
from django.db import connection, models, transaction
from django.utils import timezone

from layers.geometry import GeometryError, as_multipolygon, to_wgs84
from layers.levels import Level
from layers.models import AdminArea, BoundaryGeneration, Layer
from layers.selectors.generations import current_generation, current_generation_or_first
from layers.services.features import assign_areas

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
REQUIRED_FIELDS = ("pcode", "name_fr")


class BoundaryImportError(Exception):
    """The source cannot be loaded; nothing was written."""


@dataclass(frozen=True)
class NewGeneration:
    """What a new release of boundaries is: its name, source and the date it applies from."""

    name: str
    valid_from: date
    source: str = ""
    release: str = ""
    checksum: str = ""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    repaired: list[str] = field(default_factory=list)
    derived: int = 0
    generation: int | None = None
    new_generation: bool = False
    carried_over: int = 0

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
    new_generation: NewGeneration | None = None,
    progress: Callable[[Iterable, str, int], Iterable] = lambda rows, label, total: rows,
) -> LoadReport:
    """Upserts every source by P-code into a new generation (`new_generation`) or the
    current one, then rebuilds parents, derived areas, simplified geometries and the
    subdivided lookup index of that generation, all in one transaction."""
    sources = list(sources)
    report = LoadReport(new_generation=new_generation is not None)
    with transaction.atomic():
        previous = current_generation()
        if new_generation is not None:
            generation, report.carried_over = _start_generation(
                new_generation,
                previous=previous,
                loaded_levels=sorted({source.level for source in sources}),
                rederive=bool(derive_arrondissements),
            )
        else:
            generation = current_generation_or_first()
            previous = None
        report.generation = generation.pk
        for source in sources:
            report.merge(_load_source(source, generation, progress))
        report.derived = finalize_boundaries(
            generation=generation,
            previous=previous,
            derive_arrondissements=derive_arrondissements,
        )
        if new_generation is not None:
            _reassign_features(generation)
    return report


def _start_generation(
    spec: NewGeneration,
    *,
    previous: BoundaryGeneration | None,
    loaded_levels: list[str],
    rederive: bool,
) -> tuple[BoundaryGeneration, int]:
    """The new generation, and how many areas it took over from the previous one."""
    if previous is not None and spec.valid_from < previous.valid_from:
        raise BoundaryImportError(
            f"the new generation would be valid from {spec.valid_from}, before the current "
            f"generation {previous.pk} ({previous.name}, valid from {previous.valid_from}); "
            "generations follow each other in time"
        )
    generation = BoundaryGeneration.objects.create(
        name=spec.name,
        valid_from=spec.valid_from,
        source=spec.source,
        release=spec.release,
        checksum=spec.checksum,
    )
    if previous is None:
        return generation, 0
    with connection.cursor() as cursor:
        cursor.execute(
            (SQL_DIR / "carry_over_areas.sql").read_text(),
            {
                "generation": generation.pk,
                "previous": previous.pk,
                "loaded_levels": loaded_levels,
                "rederive": rederive,
            },
        )
        return generation, cursor.rowcount


def _reassign_features(generation: BoundaryGeneration) -> None:
    """Infrastructure lives in the present: every feature is placed in the areas of the
    new generation, and every layer's version moves on (its GeoJSON names the area)."""
    assign_areas(layer_id=None, generation_id=generation.pk)
    Layer.objects.update(version=models.F("version") + 1, updated_at=timezone.now())


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


def _load_source(source: BoundarySource, generation: BoundaryGeneration, progress) -> LoadReport:
    data_source, layer = _open_layer(source)
    _check_fields(source, layer)
    report = LoadReport()
    existing = set(AdminArea.objects.filter(generation=generation).values_list("pcode", flat=True))
    seen: set[str] = set()
    new_areas: list[AdminArea] = []
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
        fields = {
            "level": source.level,
            "name_fr": values["name_fr"],
            "name_ht": values.get("name_ht", ""),
            "name_en": values.get("name_en", ""),
            "parent_pcode": values.get("parent", ""),
            "geom": geom,
            "source": source.dataset,
            "valid_on": source.valid_on,
            "derived": False,
        }
        if pcode in existing:
            AdminArea.objects.filter(generation=generation, pcode=pcode).update(
                **fields, updated_at=timezone.now()
            )
            report.updated += 1
        else:
            # New areas (all of them in a new generation) are inserted in batches.
            new_areas.append(AdminArea(generation=generation, pcode=pcode, **fields))
            report.created += 1
    AdminArea.objects.bulk_create(new_areas, batch_size=200)
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


def finalize_boundaries(
    *,
    generation: BoundaryGeneration,
    previous: BoundaryGeneration | None = None,
    derive_arrondissements: int | None = None,
) -> int:
    """Rebuilds what is computed from the loaded boundaries of a generation (with the
    population of unchanged areas of the `previous` one). Returns the number of derived
    arrondissements."""
    derived = 0
    params = {"generation": generation.pk}
    with connection.cursor() as cursor:
        if derive_arrondissements:
            cursor.execute(
                (SQL_DIR / "derive_arrondissements.sql").read_text(),
                {**params, "prefix": derive_arrondissements},
            )
            cursor.execute(
                "SELECT count(*) FROM layers_adminarea WHERE derived AND generation_id = %s",
                [generation.pk],
            )
            derived = cursor.fetchone()[0]
        cursor.execute((SQL_DIR / "finalize_boundaries.sql").read_text(), params)
        if previous is not None:
            cursor.execute(
                (SQL_DIR / "carry_over_population.sql").read_text(),
                {**params, "previous": previous.pk},
            )
        cursor.execute((SQL_DIR / "derived_population.sql").read_text(), params)
    return derived
