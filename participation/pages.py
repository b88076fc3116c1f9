"""The participatory budget's public page: one round, what it shows depends on its phase
(propose with a point, vote within the budget, results with the numbers behind them)."""

from django.views.decorators.csrf import ensure_csrf_cookie

from frontend.views import _page


@ensure_csrf_cookie
def round_page(request, slug: str):
    return _page(request, "participation/round_page.html", page="budget", slug=slug)
