"""Which team a new report goes to: the most specific routing rule that matches, within
the report's jurisdiction (its own rules before the national ones), among the national
teams and those of that jurisdiction. The order of specificity is in reports/sql/route.sql:
one query, as a report is filed."""

from pathlib import Path

from geoportal.sql import sql_file
from layers.levels import Level
from reports.models import Category, Team

ROUTE_SQL = Path(__file__).resolve().parent.parent / "sql" / "route.sql"


def route_sql(*, jurisdiction: str, area_pcodes: str) -> str:
    """route.sql with the jurisdiction's id and the areas' P-codes given as SQL: constant
    fragments of our own, never input (values are bound parameters)."""
    return sql_file(ROUTE_SQL).format(jurisdiction=jurisdiction, area_pcodes=area_pcodes)


def route(*, category: Category, jurisdiction_id: int, area_ids: list[int]) -> Team | None:
    params = {
        "jurisdiction": jurisdiction_id,
        "category": category.pk,
        "areas": list(area_ids),
        "levels": list(Level.values),  # from the country down: deeper is more specific
    }
    sql = route_sql(
        jurisdiction="%(jurisdiction)s",
        area_pcodes="SELECT pcode FROM layers_adminarea WHERE id = ANY(%(areas)s)",
    )
    return next(iter(Team.objects.raw(sql, params)), None)
