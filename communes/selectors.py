"""Reads of jurisdictions: which one holds a commune, the default, by Open311 id."""

from django.db.models import Q, QuerySet

from communes.models import Jurisdiction
from reports import conf


def default_jurisdiction() -> Jurisdiction:
    """The jurisdiction of reports that fall in no commune with a town hall of its own.
    Created on first use (so that a database without the data migration's row, e.g.
    flushed by a test, still has one)."""
    found = Jurisdiction.objects.filter(is_default=True).first()
    if found is not None:
        return found
    jurisdiction, _ = Jurisdiction.objects.get_or_create(
        is_default=True,
        defaults={
            "slug": "national",
            "name_fr": "Service national",
            "name_ht": "Sèvis nasyonal",
            "name_en": "National service",
            "open311_id": conf.get("KOMIN_OPEN311_JURISDICTION"),
        },
    )
    return jurisdiction


def jurisdiction_of_commune(pcode: str | None) -> Jurisdiction:
    """The jurisdiction whose communes include this P-code, else the default."""
    if pcode:
        # Raw: read as every report is filed, where the ORM's compiling was most of it.
        found = Jurisdiction.objects.raw(
            "SELECT * FROM communes_jurisdiction WHERE pcodes @> ARRAY[%s]::varchar[]"
            " ORDER BY id LIMIT 1",
            [pcode],
        )
        for jurisdiction in found:
            return jurisdiction
    return default_jurisdiction()


def jurisdiction_by_open311_id(open311_id: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(open311_id=open311_id.strip()).first()


def jurisdiction_by_slug(slug: str) -> Jurisdiction | None:
    return Jurisdiction.objects.filter(slug=slug).first()


def offered_categories(categories: QuerySet, jurisdiction: Jurisdiction | None) -> QuerySet:
    """The national catalogue plus the jurisdiction's own additions (None: all)."""
    if jurisdiction is None:
        return categories
    return categories.filter(Q(jurisdiction__isnull=True) | Q(jurisdiction=jurisdiction))
