"""Spatial weights per area level of the current boundary generation: computed once in
PostGIS, stored, reused until the level's boundaries (or the generation) change."""

from pathlib import Path

from django.db import transaction

from analytics.models import SpatialWeights
from geoportal.sql import fetch_dicts, fetch_value, sql_file
from layers.selectors.generations import current_generation_id

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
_memory: dict[str, tuple[str, dict[str, list[str]]]] = {}

SIGNATURE_SQL = """
SELECT md5(coalesce(string_agg(pcode || ':' || id || ':' || updated_at::text, ',' ORDER BY pcode), ''))
FROM layers_adminarea WHERE generation_id = %(generation)s AND level = %(level)s
"""


def level_signature(level: str) -> str:
    """Changes whenever an area of the level is added, removed or updated, or a new
    generation of boundaries is loaded (its rows have new ids)."""
    return fetch_value(SIGNATURE_SQL, {"level": level, "generation": current_generation_id()})


def contiguity(level: str) -> dict[str, list[str]]:
    """{pcode: sorted neighbour pcodes} for every area of the level (queen contiguity,
    islands linked to their nearest area)."""
    signature = level_signature(level)
    cached = _memory.get(level)
    if cached and cached[0] == signature:
        return cached[1]
    stored = SpatialWeights.objects.filter(level=level, signature=signature).first()
    if stored is None:
        stored = _compute(level, signature)
    _memory[level] = (signature, stored.neighbours)
    return stored.neighbours


def _compute(level: str, signature: str) -> SpatialWeights:
    params = {"level": level, "generation": current_generation_id()}
    pcodes = fetch_dicts(
        "SELECT pcode FROM layers_adminarea"
        " WHERE generation_id = %(generation)s AND level = %(level)s",
        params,
    )
    neighbours: dict[str, set[str]] = {row["pcode"]: set() for row in pcodes}
    islands = []
    for row in fetch_dicts(sql_file(SQL_DIR / "contiguity.sql"), params):
        neighbours[row["a"]].add(row["b"])
        neighbours[row["b"]].add(row["a"])
        if row["island"]:
            islands.append(row["a"])
    with transaction.atomic():
        stored, _ = SpatialWeights.objects.update_or_create(
            level=level,
            defaults={
                "signature": signature,
                "neighbours": {key: sorted(value) for key, value in neighbours.items()},
                "islands_linked": sorted(islands),
            },
        )
    return stored
