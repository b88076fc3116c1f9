"""PL/pgSQL functions made from this app's SQL files, at every `migrate`.

A statement sent by Django is planned at every execution; a PL/pgSQL function keeps the
plan of its query for the connection. Where planning costs more than running (the place
of a new report: the areas containing its point, its jurisdiction and its routed team,
2.1 ms to plan against 0.5 ms to run, under load), the query runs as a function. The
function is made from the same SQL files as the query (reports/sql/place.sql, with
layers/sql/lookup.sql and reports/sql/route.sql in it), so that the rules stay in one
place; `migrate` makes it anew each time (post_migrate), so a changed file is in force
after the next migrate, as a deployment runs it. `plan_cache_mode = force_generic_plan`,
for the function's call only, makes the plan once from the first call: every call has
the same plan (indexes by point, by P-code and by key). Nothing is kept in the session
that a pooler (PgBouncer in transaction mode) must know about."""

import functools
import re

from django.db import connections

PARAM = re.compile(r"%\((\w+)\)s")
PLACE_ARGS = (
    "in_lon double precision, in_lat double precision, in_generation bigint, "
    "in_category bigint, in_levels text[]"
)
PLACE_TYPES = "double precision, double precision, bigint, bigint, text[]"


def as_function_body(sql: str) -> str:
    """A query with named parameters (%(name)s) as the body of a function whose arguments
    are named in_<name>; %% back to %."""
    return PARAM.sub(lambda m: f"in_{m[1]}", sql).replace("%%", "%")


@functools.cache
def place_function_sql() -> str:
    from reports.services.reports import place_sql

    body = as_function_body(place_sql())
    if "$$" in body:  # it would end the function's body
        raise ValueError("reports/sql/place.sql and its parts may not hold $$")
    return (
        f"DROP FUNCTION IF EXISTS reports_place({PLACE_TYPES});\n"
        f"CREATE FUNCTION reports_place({PLACE_ARGS}) RETURNS json\n"
        "LANGUAGE plpgsql STABLE\n"
        "SET plan_cache_mode = force_generic_plan\n"
        f"AS $$\nBEGIN\n    RETURN (\n{body}\n    );\nEND;\n$$;"
    )


def install(using: str = "default", **kwargs) -> None:
    """post_migrate: (re)make the functions in the database just migrated."""
    with connections[using].cursor() as cursor:
        cursor.execute(place_function_sql())
