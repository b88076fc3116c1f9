"""Which team a new report goes to: the most specific routing rule that matches, within
the report's jurisdiction (its own rules before the national ones), among the national
teams and those of that jurisdiction."""

from django.db.models import Q

from layers.levels import RANK
from layers.models import AdminArea
from reports.models import Category, RoutingRule, Team


def route(*, category: Category, jurisdiction_id: int, area_ids: list[int]) -> Team | None:
    # A rule names its area by P-code: it keeps routing after a new boundary generation
    # (whose rows are new) for as long as the P-code exists.
    pcodes = AdminArea.objects.filter(pk__in=area_ids).values("pcode")
    rules = (
        RoutingRule.objects.filter(
            Q(jurisdiction_id=jurisdiction_id) | Q(jurisdiction__isnull=True),
            Q(category=category) | Q(category__isnull=True),
            Q(area__pcode__in=pcodes) | Q(area__isnull=True),
            # A town hall's team works for that town hall only, even under a national rule.
            Q(team__jurisdiction__isnull=True) | Q(team__jurisdiction_id=jurisdiction_id),
        )
        .select_related("team", "area")
        .defer(*(f"area__{c}" for c in AdminArea.POLYGONS))  # its level only
    )

    def specificity(rule: RoutingRule) -> tuple[int, int, int]:
        depth = RANK[rule.area.level] if rule.area_id else -1
        return (1 if rule.jurisdiction_id else 0, 1 if rule.category_id else 0, depth)

    best = max(rules, key=specificity, default=None)
    return best.team if best else None
