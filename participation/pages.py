"""Public pages of participation: a participatory budget round (what it shows depends on
its phase: propose with a point, vote within the budget, results with the numbers behind
them) and a consultation (answer while open, results per area on a map and in charts)."""

from django.http import Http404
from django.views.decorators.csrf import ensure_csrf_cookie

from frontend.views import _page
from participation.consultations.models import Consultation


@ensure_csrf_cookie
def round_page(request, slug: str):
    return _page(request, "participation/round_page.html", page="budget", slug=slug)


@ensure_csrf_cookie
def consultation_page(request, pk: int):
    consultation = Consultation.objects.select_related("jurisdiction").filter(pk=pk).first()
    if consultation is None:
        raise Http404("No such consultation.")
    return _page(request, "participation/consultation_page.html", page="consultation",
                 jurisdiction=consultation.jurisdiction, consultation=pk)  # fmt: skip
