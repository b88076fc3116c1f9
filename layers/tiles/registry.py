"""The tile sources that /tiles/{source}/{z}/{x}/{y}.pbf can serve.

A source is a name, an SQL query that yields the features of one tile, a zoom range,
the public attributes it publishes and a version that changes with its data. Layers
and boundary levels are provided by this app; another app registers its own source
once at start-up, e.g. in its AppConfig.ready():

    from layers.tiles.registry import TileSource, register

    register(TileSource(
        name="reports",
        title="Citizen reports",
        sql=REPORTS_TILE_SQL,            # see TileSource.sql
        fields={"category": "String", "status": "String"},
        version=lambda: reports_version(),   # str; changes whenever reports change
        min_zoom=10,
    ))

`sql` is a SELECT yielding columns `id` (bigint, the MVT feature id), `geom` (in
`srid`, 4326 or 3857) and either `props` (jsonb of public attributes only) or the
typed property columns named in `columns` (faster to encode), and may read the
CTE `tile` (columns `z`, `env3857` = the tile's envelope with a 64-pixel margin in
EPSG:3857, `env4326` = the same in EPSG:4326, `cell` = 1/64 of the tile's width in
metres, for clustering). Parameters are bound: %(z)s, %(x)s, %(y)s and those of `params`.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TileSource:
    name: str
    title: str
    sql: str
    version: Callable[[], str]
    fields: dict[str, str] = field(default_factory=dict)  # TileJSON vector_layers fields
    min_zoom: int = 0
    max_zoom: int = 22
    srid: int = 4326
    params: dict = field(default_factory=dict)
    # Property columns the SQL yields (typed columns encode faster than jsonb); empty means
    # the SQL yields one jsonb column `props`.
    columns: tuple[str, ...] = ()
    layer_name: str = ""  # the layer name inside the tile; the source name by default
    attribution: str = ""
    description: str = ""
    bounds: tuple[float, float, float, float] = (-180.0, -85.0511, 180.0, 85.0511)
    # The data's real extent [w, s, e, n] (None when empty), read by TileJSON instead of
    # `bounds` so that clients zoom to the data; cached per version by the view.
    extent: Callable[[], list[float] | None] | None = None
    public: bool = True  # a private source is refused (tiles are cached and shared)
    # A source whose content depends on query parameters (boundaries of a past
    # generation: `?generation=`, `?date=`) gives the source they select; its version
    # must then differ, so that ETags and cache keys never mix the two.
    for_request: Callable[[Mapping[str, str]], "TileSource"] | None = None
    # Lets a tile be built without first asking for the source's version: SQL after
    # `SELECT (<tile>)` (a FROM and WHERE, with its bound parameters) that yields one row
    # while the source is still the one this object was built from, and none once it
    # changed (layers: their row, same version and update time). A source kept by its
    # provider (`peek`) and holding one is answered in one query (layers/tiles/views.py).
    guard: tuple[str, dict] | None = None

    @property
    def mvt_layer(self) -> str:
        return self.layer_name or self.name


# A provider returns the sources it holds by name (e.g. one per public layer, read from
# the database on each call), so that new layers need no restart.
Provider = Callable[[], dict[str, TileSource]]
Lookup = Callable[[str], TileSource | None]

_static: dict[str, TileSource] = {}
_providers: list[tuple[Provider, Lookup]] = []
_peeks: list[Lookup] = []


def register(source: TileSource) -> None:
    """Adds (or replaces) a source by name."""
    _static[source.name] = source


def unregister(name: str) -> None:
    _static.pop(name, None)


def register_provider(list_all: Provider, lookup: Lookup, peek: Lookup | None = None) -> None:
    """Adds a family of sources: `list_all()` for the catalogue, `lookup(name)` for one,
    and optionally `peek(name)`: the source as last built, without reading the database
    (None if not built yet), for sources whose `guard` checks it is still current."""
    _providers.append((list_all, lookup))
    if peek is not None:
        _peeks.append(peek)


def peek(name: str) -> TileSource | None:
    """A source with a guard, as its provider last built it (no query), or None."""
    for lookup in _peeks:
        found = lookup(name)
        if found is not None and found.guard is not None:
            return found
    return None


def get(name: str) -> TileSource | None:
    if name in _static:
        return _static[name]
    for _, lookup in _providers:
        found = lookup(name)
        if found is not None:
            return found
    return None


def all_sources() -> list[TileSource]:
    found: dict[str, TileSource] = {}
    for list_all, _ in _providers:
        found.update(list_all())
    found.update(_static)
    return [found[name] for name in sorted(found)]
