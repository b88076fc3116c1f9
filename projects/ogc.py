"""Projects as the OGC API – Features collection "projects", beside layers and
boundaries (layers.ogc.collections.register_collection)."""

from dataclasses import replace
from pathlib import Path

from rest_framework.exceptions import ValidationError

from geoportal.params import query_choice
from geoportal.sql import sql_file
from layers.api.query import PAGING, parse_query
from layers.ogc.collections import HAITI, Collection
from layers.selectors.features import Page, Query, _bbox_params, _page
from projects.tiles import projects_extent, projects_version
from projects.workflow import Sector, Status

SQL = Path(__file__).parent / "sql" / "projects_page.sql"
QUERYABLES = {"sector": Sector.values, "status": Status.values}
ACCEPTED = (PAGING - {"condition"}) | set(QUERYABLES)
TEXT = {"type": "string"}
MEMBERS = {
    "slug": {**TEXT, "title": "identifier"},
    "title_fr": {**TEXT, "title": "title (French)"},
    "title_ht": {**TEXT, "title": "title (Kreyòl)"},
    "title_en": {**TEXT, "title": "title (English)"},
    "sector": {**TEXT, "enum": Sector.values, "title": "sector"},
    "status": {**TEXT, "enum": Status.values, "title": "status"},
    "percent_complete": {"type": "integer", "title": "percent complete"},
    "contractor": {**TEXT, "title": "contractor"},
    "jurisdiction": {**TEXT, "title": "town hall"},
    "planned_start": {**TEXT, "format": "date", "title": "planned start"},
    "planned_end": {**TEXT, "format": "date", "title": "planned end"},
    "planned_htg": {"type": "number", "title": "planned, HTG"},
    "spent_htg": {"type": "number", "title": "spent, HTG"},
    "sample": {"type": "boolean", "title": "sample data"},
    "updated": {**TEXT, "format": "date-time", "title": "last change"},
}


class ProjectsCollection(Collection):
    def extent(self) -> list[float]:
        return projects_extent() or HAITI

    def version(self) -> str:
        return projects_version()

    def query(self, params, limit_default: int) -> Query:
        unknown = sorted(set(params) - ACCEPTED)
        if unknown:
            raise ValidationError({unknown[0]: ["Unknown parameter."]})
        query = parse_query({k: v for k, v in params.items() if k not in QUERYABLES})
        filters = {name: query_choice(params, name, values) for name, values in QUERYABLES.items()}
        return replace(
            query, filter=filters, limit=query.limit if "limit" in params else limit_default
        )

    def page(self, query: Query, slug: str | None = None) -> Page:
        params = {
            "slug": slug,
            "limit": query.limit,
            "offset": query.offset,
            "since": query.since,
            "until": query.until,
            "sector": (query.filter or {}).get("sector"),
            "status": (query.filter or {}).get("status"),
            **_bbox_params(query.bbox),
        }
        page = _page(sql_file(SQL), params, query.limit)
        if not page.has_more and (page.returned or query.offset == 0):
            return Page(page.body, page.returned, False, query.offset + page.returned)
        return page

    def item(self, feature_id: str, params=None) -> str | None:
        return self.page(Query(limit=1), slug=feature_id[:80]).body or None

    def queryables(self) -> list[str]:
        return list(QUERYABLES)


def projects_collection() -> ProjectsCollection:
    return ProjectsCollection(
        id="projects",
        title="Public works projects",
        description="Projects of the town halls: sector, status, progress and money (HTG).",
        geometry_format="geometry-any",
        members=MEMBERS,
    )
