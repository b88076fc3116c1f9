"""Whose analyses: a planner (or supervisor, administrator) of a town hall analyses the
communes of their jurisdictions only; a national one, the whole country. The scope is a
tuple of commune P-codes (None: everything); it travels in the parsed values, so the
cache key and a background job carry it, and two actors of different scopes never share
a cached answer."""

from django.db.models import Q
from rest_framework.exceptions import PermissionDenied

from analytics.selectors.common import SQL_DIR, territory_sql
from communes.access import jurisdiction_ids
from communes.models import Jurisdiction
from geoportal.sql import fetch_value, sql_file
from layers.models import AdminArea
from layers.selectors.generations import areas_of

ACTION = "analytics.view"


def analytics_communes(who) -> tuple[str, ...] | None:
    """The commune P-codes `who` may analyse (None: all). The default jurisdiction's
    territory is every commune no other jurisdiction holds."""
    held = jurisdiction_ids(who, ACTION)
    if held is None:
        return None
    communes: set[str] = set()
    default = False
    for pcodes, is_default in Jurisdiction.objects.filter(pk__in=held).values_list(
        "pcodes", "is_default"
    ):
        communes.update(pcodes)
        default = default or is_default
    if default:
        taken = Jurisdiction.objects.filter(~Q(is_default=True)).values_list("pcodes", flat=True)
        others = {pcode for pcodes in taken for pcode in pcodes}
        every = areas_of().filter(level="commune").values_list("pcode", flat=True)
        communes.update(set(every) - others)
    return tuple(sorted(communes))


def check_in_territory(area: AdminArea, communes: tuple[str, ...] | None) -> None:
    """An area asked for must be in the actor's territory or above it (a département that
    holds one of their communes: only their communes then count)."""
    if communes is None:
        return
    sql = sql_file(SQL_DIR / "in_territory.sql").format(territory=territory_sql())
    if not fetch_value(sql, {"communes": list(communes), "area": area.pk}):
        raise PermissionDenied(
            f"{area.pcode} lies outside the communes you may analyse ({', '.join(communes) or 'none'})."
        )
