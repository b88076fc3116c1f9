"""The town hall's pages for budget rounds (administrators and planners of the commune:
`participation.manage`): the rounds they may manage, open one, edit it (phases' content,
amount, dates, verification mode) and move it to its next phase. Forms post to these
pages, which call the API's serializers and services (frontend.staff_forms)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from rest_framework import exceptions

from communes.access import actor_for, scope
from frontend.access import requires
from frontend.staff_forms import check, chosen_town, field_errors, posted, towns_for, validated
from frontend.views import _page
from participation import services
from participation.api.views import PhaseInput, RoundEditInput, RoundInput
from participation.models import PHASES, BudgetRound, Verification

ACTION = "participation.manage"
PHASE_LABELS = {"proposals": _("Proposals open"), "review": _("Technical review"),
                "voting": _("Voting open"), "results": _("Results")}  # fmt: skip
FIELDS = ["title_fr", "title_ht", "title_en", "amount", "max_choices", "verification",
          "starts_on", "ends_on"]  # fmt: skip
NULLS = {"max_choices", "starts_on", "ends_on"}


def _form_page(request, *, budget_round=None, values=None, errors=None, status=200):
    next_phase = None
    if budget_round is not None and budget_round.phase != PHASES[-1]:
        next_phase = PHASES[PHASES.index(budget_round.phase) + 1]
    shown = {
        "round": budget_round,
        "values": values or {},
        "errors": errors or {},
        "towns": towns_for(request.user, ACTION),
        "verifications": Verification.choices,
        "next_phase": next_phase,
        "next_phase_label": PHASE_LABELS.get(next_phase, ""),
        "phase_label": PHASE_LABELS[budget_round.phase] if budget_round else "",
    }
    response = _page(request, "participation/staff_round.html", page="manage", shown=shown)
    response.status_code = status
    return response


@requires(ACTION)
def round_list(request):
    rounds = list(
        scope(BudgetRound.objects.select_related("jurisdiction"), request.user, ACTION).order_by(
            "-created_at", "-pk"
        )[:500]
    )
    for budget_round in rounds:
        budget_round.phase_label = PHASE_LABELS[budget_round.phase]
    return _page(request, "participation/staff_rounds.html", page="manage",
                 shown={"rounds": rounds})  # fmt: skip


@requires(ACTION)
@require_http_methods(["GET", "POST"])
def round_new(request):
    if request.method == "GET":
        return _form_page(request, values={"verification": Verification.ACCOUNT})
    data = posted(request.POST, ["slug", "jurisdiction", *FIELDS], nulls=NULLS)
    try:
        fields = validated(RoundInput, data)
        jurisdiction = chosen_town(request.user, ACTION, fields.pop("jurisdiction"))
        made = services.round_create(actor=actor_for(request.user), jurisdiction=jurisdiction,
                                     **fields)  # fmt: skip
    except exceptions.ValidationError as exc:
        return _form_page(request, values=request.POST, errors=field_errors(exc), status=400)
    except exceptions.PermissionDenied as exc:
        raise PermissionDenied(str(exc.detail)) from None
    return redirect("budget-round-edit", slug=made.slug)


@requires(ACTION)
@require_http_methods(["GET", "POST"])
def round_edit(request, slug: str):
    budget_round = get_object_or_404(BudgetRound.objects.select_related("jurisdiction"), slug=slug)
    check(request.user, ACTION, budget_round)
    if request.method == "GET":
        return _form_page(request, budget_round=budget_round, values=_values(budget_round))
    actor = actor_for(request.user)
    try:
        if "phase" in request.POST:
            phase = validated(PhaseInput, {"phase": request.POST["phase"]})["phase"]
            services.round_advance(actor=actor, round_id=budget_round.pk, phase=phase)
        else:
            fields = validated(RoundEditInput, posted(request.POST, FIELDS, nulls=NULLS))
            services.round_update(actor=actor, round_id=budget_round.pk, **fields)
    except exceptions.ValidationError as exc:
        return _form_page(request, budget_round=budget_round, values=request.POST,
                          errors=field_errors(exc), status=400)  # fmt: skip
    except exceptions.PermissionDenied as exc:
        raise PermissionDenied(str(exc.detail)) from None
    return redirect("budget-round-edit", slug=budget_round.slug)


def _values(r: BudgetRound) -> dict:
    return {
        **{name: getattr(r, name) for name in ("title_fr", "title_ht", "title_en", "verification")},
        "amount": r.amount,
        "max_choices": r.max_choices or "",
        "starts_on": r.starts_on.isoformat() if r.starts_on else "",
        "ends_on": r.ends_on.isoformat() if r.ends_on else "",
        "jurisdiction": r.jurisdiction.slug,
        "slug": r.slug,
    }
