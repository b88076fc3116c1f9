"""Public pages of participation: a participatory budget round (what it shows depends on
its phase: propose with a point, vote within the budget, results with the numbers behind
them) and a consultation (answer while open, results per area on a map and in charts)."""

from django.http import Http404
from django.views.decorators.csrf import ensure_csrf_cookie

from frontend.views import _page, current_language
from participation.consultations.models import Consultation
from participation.links import participation_links
from participation.models import BudgetRound


@ensure_csrf_cookie
def round_page(request, slug: str):
    budget_round = BudgetRound.objects.select_related("jurisdiction").filter(slug=slug).first()
    where = budget_round.jurisdiction if budget_round else None
    links = participation_links(where, current_language(), leave_out=f"/budget/{slug}/")
    return _page(request, "participation/round_page.html", page="budget", slug=slug,
                 shown={"participation": links})  # fmt: skip


@ensure_csrf_cookie
def consultation_page(request, pk: int):
    consultation = Consultation.objects.select_related("jurisdiction").filter(pk=pk).first()
    if consultation is None:
        raise Http404("No such consultation.")
    where = consultation.jurisdiction
    links = participation_links(where, current_language(), leave_out=f"/consultations/{pk}/")
    return _page(request, "participation/consultation_page.html", page="consultation",
                 jurisdiction=where, consultation=pk, shown={"participation": links})  # fmt: skip
