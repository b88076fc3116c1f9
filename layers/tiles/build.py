"""Building one tile: the source's SQL inside tile.sql, run with JIT off.

PostgreSQL's JIT compiles a plan once its estimated cost passes jit_above_cost; tile
queries over thousands of points pass it and pay tens of milliseconds of compilation to
save less than that (see bench/tiles_geojson.py --jit). `SET LOCAL` in the same simple
query runs as one implicit transaction, so it costs no round trip and touches no other
query of the connection."""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.core.cache import caches

from geoportal.db_router import reading
from geoportal.metrics import TILE_CACHE
from geoportal.sql import sql_file
from layers import conf
from layers.tiles.registry import TileSource

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
MAX_ZOOM = 22
JIT_OFF = "SET LOCAL jit = off;\n"


def tile_sql(source: TileSource) -> str:
    return _tile_sql(source.sql, source.srid, source.columns)


@lru_cache(maxsize=256)  # a source's SQL is the same for every tile: formatted once
def _tile_sql(features: str, srid: int, columns: tuple[str, ...]) -> str:
    geom = "f.geom" if srid == 3857 else "ST_Transform(f.geom, 3857)"
    props = ", ".join(f'f."{name}"' for name in columns) if columns else "f.props"
    return sql_file(SQL_DIR / "tile.sql").format(features=features, geom=geom, props=props)


def render_tile(source: TileSource, z: int, x: int, y: int, *, jit: bool = False) -> bytes:
    params = {**source.params, "z": z, "x": x, "y": y, "layer_name": source.mvt_layer}
    sql = tile_sql(source) if jit else JIT_OFF + tile_sql(source)
    with reading().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return bytes(row[0]) if row and row[0] is not None else b""


def render_guarded(source: TileSource, z: int, x: int, y: int) -> bytes | None:
    """The tile and the check that its source is current, in one query (one round trip
    instead of two): None when the source's guard finds it changed."""
    clause, guard = source.guard
    params = {**source.params, **guard, "z": z, "x": x, "y": y, "layer_name": source.mvt_layer}
    # Our own SQL (the source's and its guard's), every value bound.
    sql = f"{JIT_OFF}SELECT (\n{tile_sql(source)}) {clause}"  # nosec B608
    with reading().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    return bytes(row[0]) if row[0] is not None else b""


def etag(source: TileSource, version: str, z: int, x: int, y: int) -> str:
    key = f"{source.name}:{version}:{z}/{x}/{y}".encode()
    digest = hashlib.sha1(key, usedforsecurity=False).hexdigest()[:20]  # a cache key only
    return f'"{digest}"'


def cached_tile(source: TileSource, version: str, z: int, x: int, y: int) -> bytes:
    """The tile from the cache, keyed by the source's version so that a data change
    invalidates every tile of the source at once."""
    seconds = conf.tile_cache_seconds()
    if seconds <= 0:
        return render_tile(source, z, x, y)
    cache = caches[conf.setting("KOMIN_TILE_CACHE", "default")]
    key = f"tile:{source.name}:{version}:{z}:{x}:{y}"
    tile = cache.get(key)
    if tile is None:
        TILE_CACHE.labels("miss").inc()
        tile = render_tile(source, z, x, y)
        cache.set(key, tile, seconds)
    else:
        TILE_CACHE.labels("hit").inc()
    return tile
