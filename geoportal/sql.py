"""Small helpers for raw SQL kept in named .sql files, always with bound parameters.
They read: on a replica when the request may (geoportal/db_router.py)."""

from functools import cache
from pathlib import Path

from geoportal.db_router import reading


@cache
def sql_file(path: Path | str) -> str:
    return Path(path).read_text()


def fetch_dicts(sql: str, params: dict | None = None) -> list[dict]:
    with reading().cursor() as cursor:
        cursor.execute(sql, params or {})
        columns = [col.name for col in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def fetch_value(sql: str, params: dict | None = None):
    with reading().cursor() as cursor:
        cursor.execute(sql, params or {})
        row = cursor.fetchone()
        return row[0] if row else None


def instance_from_row(model, row: dict, using: str):
    """A `model` instance built from a row of raw SQL, or of its JSON (row_to_json,
    json_agg), keyed by column, without a query: the columns the row holds, converted as
    the field converts them; any other column loads when first read."""
    fields = [f for f in model._meta.concrete_fields if f.column in row]
    return model.from_db(
        using, [f.attname for f in fields], [f.to_python(row[f.column]) for f in fields]
    )
