"""Loading the local basemap from an OpenStreetMap extract with GDAL's OSM driver."""

from dataclasses import dataclass, field
from pathlib import Path

import pyogrio
from django.db import connection, transaction

from basemap.classify import LAYERS
from frontend.text import fold
from geoportal.redact import without_paths

OSM_CONFIG = Path(__file__).resolve().parent / "osmconf.ini"
SUFFIXES = (".osm", ".pbf", ".osm.pbf")
BATCH = 5000
INSERT = """
    INSERT INTO basemap_basemapfeature (kind, category, name, search_text, osm_id, geom)
    SELECT kind, category, name, search_text, osm_id, g
    FROM (SELECT %s AS kind, %s AS category, %s AS name, %s AS search_text, %s AS osm_id,
                 ST_CollectionExtract(ST_MakeValid(ST_GeomFromWKB(%s, 4326))) AS g) row
    WHERE NOT ST_IsEmpty(g)
"""


class BasemapError(Exception):
    pass


@dataclass
class LoadResult:
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _rows(path: Path, layer: str):
    """(attributes, WKB) of every element of one layer of the extract, in batches."""
    with pyogrio.raw.open_arrow(path, layer=layer, batch_size=BATCH, use_pyarrow=True) as (
        meta,
        reader,
    ):
        geometry = meta["geometry_name"] or "wkb_geometry"
        for batch in reader:
            columns = batch.to_pydict()
            wkbs = columns.pop(geometry)
            names = list(columns)
            for index, wkb in enumerate(wkbs):
                if wkb is not None:
                    yield {name: columns[name][index] for name in names}, wkb


def load_osm_basemap(*, path: Path) -> LoadResult:
    """Replaces the basemap with the roads, buildings, landmarks, water and named places
    of an .osm or .osm.pbf file, in one transaction: a file that cannot be read leaves the
    previous basemap in place."""
    path = Path(path)
    if not path.name.endswith(SUFFIXES):
        raise BasemapError(f"{path.name}: an OpenStreetMap extract (.osm or .osm.pbf) is needed.")
    if not path.is_file():
        raise BasemapError(f"{path.name}: no such file.")
    result = LoadResult()
    pyogrio.set_gdal_config_options({"OSM_CONFIG_FILE": str(OSM_CONFIG)})
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM basemap_basemapfeature")
            for layer, classify in LAYERS.items():
                batch = []
                for row, wkb in _rows(path, layer):
                    found = classify(row)
                    if found is None:
                        continue
                    kind, category = found
                    name = (row.get("name") or "")[:200]
                    batch.append(
                        (kind, category[:60], name, fold(name)[:200], row.get("osm_id") or "", wkb)
                    )
                    result.counts[kind] = result.counts.get(kind, 0) + 1
                    if len(batch) >= BATCH:
                        cursor.executemany(INSERT, batch)
                        batch = []
                if batch:
                    cursor.executemany(INSERT, batch)
            if not result.total:
                # GDAL reads a truncated XML file as far as it can, without an error.
                raise BasemapError(
                    f"{path.name}: no road, building, landmark, water or named place found:"
                    " the file is empty or broken; the basemap is unchanged."
                )
    except pyogrio.errors.DataSourceError as exc:
        raise BasemapError(
            f"{path.name}: not a readable OpenStreetMap file ({without_paths(str(exc))})."
        ) from exc
    except pyogrio.errors.DataLayerError as exc:
        raise BasemapError(f"{path.name}: {without_paths(str(exc))}") from exc
    finally:
        pyogrio.set_gdal_config_options({"OSM_CONFIG_FILE": None})
    return result
