"""Which analyses are too heavy for a web request: they run as background jobs.

A local statistic (Gi*, Moran's I) costs about areas × permutations; zonal statistics
about the number of areas. Above the budgets (settings) the API answers 202 with a job."""

from django.conf import settings

from layers.models import AdminArea


def inline_permutation_budget() -> int:
    """areas × permutations a request may run inline: 300,000 lets 570 sections × 499 (the
    dashboard) run at once, while 570 × 999 goes to a job."""
    return int(getattr(settings, "KOMIN_ANALYTICS_INLINE_COST", 300_000))


def inline_zonal_areas() -> int:
    return int(getattr(settings, "KOMIN_ANALYTICS_INLINE_ZONAL_AREAS", 200))


def areas_in_scope(values: dict) -> int:
    """How many areas of the level the analysis covers (P-codes nest, so an area's
    descendants share its prefix)."""
    areas = AdminArea.objects.filter(level=values["level"])
    if values.get("area"):
        areas = areas.filter(pcode__startswith=values["area"])
    return areas.count()


def local_statistic_is_heavy(values: dict) -> bool:
    return areas_in_scope(values) * values["permutations"] > inline_permutation_budget()


def zonal_is_heavy(values: dict) -> bool:
    return areas_in_scope(values) > inline_zonal_areas()
