"""Builds the rates rollup's cells (analytics.rollup): for the dirty sections (the worker)
or for every section (a rebuild)."""

from django.conf import settings
from django.db import connection, transaction

from analytics.rollup import GAMMA
from analytics.selectors.common import SQL_DIR, workflow_params
from geoportal.sql import sql_file

TAKE_DIRTY = "DELETE FROM analytics_ratesdirty RETURNING section_id"


def _build(cursor, sections: list[int] | None) -> None:
    params = {**workflow_params(), "sections": sections, "tz": settings.TIME_ZONE}
    cursor.execute(sql_file(SQL_DIR / "rates_cells.sql"), {**params, "gamma": GAMMA})


def rollup_refresh() -> int:
    """Rebuilds the cells of the sections marked dirty; returns how many sections. The
    dirty rows deleted are those this transaction sees: a write not yet committed keeps
    its row, and its section stays dirty until the next refresh."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(TAKE_DIRTY)
        sections = sorted({row[0] for row in cursor.fetchall()})
        if not sections:
            return 0
        cursor.execute(
            "DELETE FROM analytics_ratescell WHERE section_id = ANY(%s::bigint[])", [sections]
        )
        _build(cursor, sections)
    return len(sections)


def rollup_rebuild() -> int:
    """Rebuilds every cell from the reports; returns the number of cells."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE analytics_ratescell IN EXCLUSIVE MODE")
        cursor.execute(TAKE_DIRTY)
        cursor.execute("DELETE FROM analytics_ratescell")
        cursor.execute("SET LOCAL work_mem = '128MB'")
        _build(cursor, None)
        cursor.execute("ANALYZE analytics_ratescell")
        cursor.execute("SELECT count(*) FROM analytics_ratescell")
        return cursor.fetchone()[0]
