"""Participatory budget API: public reads; writes by role (communes.access) or, for
proposing and voting, by any person with an account."""

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.selectors import jurisdiction_by_slug
from geoportal.api import validated
from geoportal.parsers import JSONParser
from participation import services
from participation.models import PHASES, BudgetRound, Verification
from participation.selectors import results, round_by_slug, round_out
from reports.api.common import actor_of, request_language
from reports.errors import Invalid, NotFound

MONEY = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal("0.01")}


class RoundInput(serializers.Serializer):
    slug = serializers.SlugField(max_length=80)
    jurisdiction = serializers.SlugField(max_length=50)
    title_fr = serializers.CharField(max_length=200)
    title_ht = serializers.CharField(max_length=200, required=False, allow_blank=True)
    title_en = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(**MONEY)
    max_choices = serializers.IntegerField(
        min_value=1, max_value=50, required=False, allow_null=True
    )
    verification = serializers.ChoiceField(Verification.values, required=False)
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)


class RoundEditInput(RoundInput):
    """What a planner may change (all optional); the slug and town hall stay."""

    slug = None
    jurisdiction = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class PhaseInput(serializers.Serializer):
    phase = serializers.ChoiceField(PHASES)


class ProposalInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    estimated_cost = serializers.DecimalField(**MONEY)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(["accepted", "rejected", "merged"])
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)
    into = serializers.IntegerField(min_value=1, required=False)


class ModerateInput(serializers.Serializer):
    hidden = serializers.BooleanField()
    reason = serializers.CharField(max_length=500)


class BallotInput(serializers.Serializer):
    proposals = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=100)


class NotYet(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_published"
    default_detail = "Results are published when the round reaches its results phase."


def _round(slug: str) -> BudgetRound:
    found = round_by_slug(slug)
    if found is None:
        raise NotFound(f"No budget round {slug!r}.")
    return found


class RoundListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Participatory budget rounds", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        lang = request_language(request)
        rounds = BudgetRound.objects.select_related("jurisdiction")
        return Response({"results": [round_out(r, lang) for r in rounds]})

    @extend_schema(summary="Open a round (administrators, planners)", request=RoundInput,
                   responses={201: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request):
        data = validated(RoundInput, request.data)
        jurisdiction = jurisdiction_by_slug(data.pop("jurisdiction"))
        if jurisdiction is None:
            raise Invalid("jurisdiction", "No such jurisdiction.")
        created = services.round_create(actor=actor_of(request), jurisdiction=jurisdiction, **data)
        return Response(round_out(created, request_language(request)), status=201)


class RoundDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="One round and its proposals", responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        return Response(round_out(_round(slug), request_language(request)))

    @extend_schema(summary="Edit a round (administrators, planners of the town hall)",
                   request=RoundEditInput, responses=OpenApiTypes.OBJECT)  # fmt: skip
    def patch(self, request, slug: str):
        data = validated(RoundEditInput, request.data)
        edited = services.round_update(actor=actor_of(request), round_id=_round(slug).pk, **data)
        return Response(round_out(edited, request_language(request)))


class PhaseView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Move a round to its next phase", request=PhaseInput,
                   responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request, slug: str):
        data = validated(PhaseInput, request.data)
        moved = services.round_advance(
            actor=actor_of(request), round_id=_round(slug).pk, phase=data["phase"]
        )
        return Response(round_out(moved, request_language(request)))


class ProposalView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Propose (any person with an account)", request=ProposalInput,
                   responses={201: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request, slug: str):
        budget_round = _round(slug)
        data = validated(ProposalInput, request.data)
        services.proposal_submit(actor=actor_of(request), round_id=budget_round.pk, **data)
        return Response(round_out(budget_round, request_language(request)), status=201)


class ReviewView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Accept, merge or reject a proposal (supervisors, administrators)",
                   request=ReviewInput, responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request, pk: int):
        data = validated(ReviewInput, request.data)
        proposal = services.proposal_review(actor=actor_of(request), proposal_id=pk, **data)
        return Response({"id": proposal.pk, "status": proposal.status, "reason": proposal.reason})


class ModerateView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Hide or show a proposal with a reason (supervisors, administrators)",
                   request=ModerateInput, responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request, pk: int):
        data = validated(ModerateInput, request.data)
        proposal = services.proposal_moderate(actor=actor_of(request), proposal_id=pk, **data)
        return Response({"id": proposal.pk, "hidden": proposal.hidden,
                         "reason": proposal.hidden_reason})  # fmt: skip


class BallotView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Vote: one ballot per person, within the budget",
                   request=BallotInput, responses={201: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request, slug: str):
        budget_round = _round(slug)
        data = validated(BallotInput, request.data)
        ballot = services.ballot_cast(
            actor=actor_of(request), round_id=budget_round.pk, proposal_ids=data["proposals"]
        )
        return Response({"round": budget_round.slug, "ballot": ballot.pk}, status=201)


class ResultsView(APIView):
    @extend_schema(summary="Results with the numbers behind them", responses=OpenApiTypes.OBJECT)
    def get(self, request, slug: str):
        budget_round = _round(slug)
        if budget_round.phase != "results":
            raise NotYet()
        return Response(results(budget_round))
