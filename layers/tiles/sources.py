"""The tile sources of this app: one per public layer, one per boundary level."""

from pathlib import Path

from geoportal.db_router import reading
from geoportal.sql import fetch_value, sql_file
from layers.levels import Level
from layers.models import BoundaryGeneration, Layer
from layers.schema import public_names, types
from layers.selectors.features import layer_extent
from layers.selectors.generations import generation_id, requested_generation
from layers.tiles.registry import TileSource, register_provider

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
AREA_PREFIX = "areas-"
AREA_MIN_ZOOM = {
    Level.COUNTRY: 0,
    Level.DEPARTEMENT: 0,
    Level.ARRONDISSEMENT: 5,
    Level.COMMUNE: 5,
    Level.SECTION: 8,
}
MVT_TYPES = {"string": "String", "date": "String", "integer": "Number", "number": "Number"}
MVT_TYPES["boolean"] = "Boolean"


SQL_TYPES = {
    "string": "text",
    "date": "text",
    "integer": "bigint",
    "number": "float8",
    "boolean": "boolean",
}
TILE_COLUMNS = ("id", "geom", "condition", "count", "cluster")


def tile_attributes(layer: Layer) -> dict[str, str]:
    """Public attributes that go into tiles, by SQL type. Names are checked by the schema
    (lower-case letters, digits, _), so they are safe as quoted identifiers; names that
    the tile itself uses are left out."""
    kinds = types(layer.schema)
    return {
        name: SQL_TYPES[kinds[name]]
        for name in public_names(layer.schema)
        if name not in TILE_COLUMNS
    }


# The layer's row as the source was built from it: while this matches, the source is
# current (any change to a layer, its data or its definition, bumps `version`).
GUARD_SQL = (
    "FROM layers_layer WHERE id = %(layer)s AND version = %(guard_version)s "
    "AND updated_at = %(guard_updated_at)s AND visibility = 'public'"
)


def layer_source(layer: Layer) -> TileSource:
    attributes = tile_attributes(layer)
    columns = (
        ", ".join(
            f"(f.attributes->>'{name}')::{kind} AS \"{name}\"" for name, kind in attributes.items()
        )
        or 'NULL::text AS "_"'
    )
    nulls = ", ".join(f'NULL::{kind} AS "{name}"' for name, kind in attributes.items()) or (
        'NULL::text AS "_"'
    )
    names = [*attributes, "condition"]
    fields = {name: MVT_TYPES[kind] for name, kind in types(layer.schema).items() if name in names}
    fields["condition"] = "String"
    if layer.geometry_type == "Point":
        sql = _points_sql(layer.point_min_zoom).format(columns=columns, nulls=nulls)
        names += ["count", "cluster"]
        fields.update(count="Number", cluster="Boolean")
    else:
        sql = sql_file(SQL_DIR / "tile_shapes.sql").format(columns=columns)
    version = str(layer.version)
    return TileSource(
        name=layer.slug,
        title=layer.title,
        description=layer.description,
        sql=sql,
        version=lambda: version,
        fields=fields,
        columns=tuple(name for name in names) + (("_",) if not attributes else ()),
        srid=3857,
        params={"layer": layer.pk},
        attribution=layer.attribution,
        extent=lambda: layer_extent(layer),
        public=layer.is_public,
        guard=(GUARD_SQL, {"guard_version": layer.version, "guard_updated_at": layer.updated_at}),
    )


def _points_sql(point_min_zoom: int) -> str:
    """Points one by one from the layer's point zoom, clustered below (one SQL, the
    branch chosen by the planner from the bound zoom)."""
    raw = sql_file(SQL_DIR / "tile_points.sql")
    clusters = sql_file(SQL_DIR / "tile_clusters.sql")
    # Our own SQL files and an int(): nothing from a request is formatted into the text.
    return (
        f"SELECT * FROM (\n{raw}\n) raw WHERE %(z)s >= {int(point_min_zoom)}\n"  # nosec B608
        f"UNION ALL\nSELECT * FROM (\n{clusters}\n) clusters WHERE %(z)s < {int(point_min_zoom)}"
    )


def areas_extent(level: str = "departement") -> list[float] | None:
    """The extent of the current generation's boundaries of a level (the service
    territory for départements)."""
    row = fetch_value(
        "SELECT ARRAY[ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e)] FROM (SELECT "
        "ST_Extent(geom) AS e FROM layers_adminarea WHERE level = %(level)s "
        "AND generation_id = %(generation)s) x",
        {"level": level, "generation": generation_id(None)},
    )
    return [round(v, 6) for v in row] if row and row[0] is not None else None


def areas_version(generation: BoundaryGeneration | None = None) -> str:
    """The generation and the last change of its areas: tile ETags and cache keys follow
    both, so a new generation (or a change to the current one) is never served stale."""
    found = generation_id(generation)
    latest = fetch_value(
        "SELECT max(updated_at) FROM layers_adminarea WHERE generation_id = %(generation)s",
        {"generation": found},
    )
    return f"g{found}:{latest.isoformat()}" if latest else f"g{found}:empty"


def area_source(level: str, generation: BoundaryGeneration | None = None) -> TileSource:
    """A boundary level of a generation; `for_request` gives the generation a request asks
    for (`?generation=` or `?date=`), the current one by default."""
    return TileSource(
        name=f"{AREA_PREFIX}{level}",
        title=f"Administrative boundaries: {Level(level).label}",
        sql=sql_file(SQL_DIR / "tile_areas.sql"),
        version=lambda: areas_version(generation),
        fields={
            "pcode": "String",
            "name_fr": "String",
            "name_ht": "String",
            "name_en": "String",
            "level": "String",
            "parent": "String",
            "population": "Number",
        },
        min_zoom=AREA_MIN_ZOOM[level],
        params={"level": level, "generation": generation_id(generation)},
        for_request=lambda params: area_source(level, requested_generation(params)),
        layer_name="areas",
        attribution="Boundaries: CNIGS / OCHA (HDX COD-AB)",
        bounds=(-74.5, 18.0, -71.6, 20.1),
        extent=lambda: areas_extent(level),
    )


def _layer_sources() -> dict[str, TileSource]:
    layers = Layer.objects.filter(visibility=Layer.Visibility.PUBLIC)
    return {layer.slug: layer_source(layer) for layer in layers}


# Built sources by slug, with the state they were built from: a tile request reads only
# that state (one small indexed query, no ORM), and builds the source again only when the
# layer changed (its data version, or any save: schema, title, visibility).
_built: dict[str, tuple[tuple, TileSource]] = {}
STATE_SQL = "SELECT id, version, updated_at, visibility FROM layers_layer WHERE slug = %(slug)s"


def _layer_lookup(name: str) -> TileSource | None:
    with reading().cursor() as cursor:
        cursor.execute(STATE_SQL, {"slug": name})
        state = cursor.fetchone()
    if state is None:
        _built.pop(name, None)
        return None
    kept = _built.get(name)
    if kept is not None and kept[0] == state:
        return kept[1]
    layer = Layer.objects.filter(pk=state[0]).first()
    if layer is None:
        return None
    source = layer_source(layer)
    _built[name] = (state, source)
    return source


def _layer_peek(name: str) -> TileSource | None:
    kept = _built.get(name)
    return kept[1] if kept is not None else None


def _area_sources() -> dict[str, TileSource]:
    return {f"{AREA_PREFIX}{level}": area_source(level) for level in Level.values}


def _area_lookup(name: str) -> TileSource | None:
    level = name.removeprefix(AREA_PREFIX)
    if name.startswith(AREA_PREFIX) and level in Level.values:
        return area_source(level)
    return None


def register_sources() -> None:
    register_provider(_area_sources, _area_lookup)
    register_provider(_layer_sources, _layer_lookup, _layer_peek)
