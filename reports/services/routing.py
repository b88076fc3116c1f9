"""Which team a new report goes to: the most specific routing rule that matches."""

from django.db.models import Q

from layers.levels import RANK
from layers.models import AdminArea
from reports.models import Category, RoutingRule, Team


def route(*, category: Category, area_ids: list[int]) -> Team | None:
    # A rule names its area by P-code: it keeps routing after a new boundary generation
    # (whose rows are new) for as long as the P-code exists.
    pcodes = AdminArea.objects.filter(pk__in=area_ids).values("pcode")
    rules = RoutingRule.objects.filter(
        Q(category=category) | Q(category__isnull=True),
        Q(area__pcode__in=pcodes) | Q(area__isnull=True),
    ).select_related("team", "area")

    def specificity(rule: RoutingRule) -> tuple[int, int]:
        depth = RANK[rule.area.level] if rule.area_id else -1
        return (1 if rule.category_id else 0, depth)

    best = max(rules, key=specificity, default=None)
    return best.team if best else None
