"""Residents' side of a budget round beyond the ballot: proving a phone number by an SMS
code, and comments on proposals (with their moderation by the town hall's staff). The
number itself never comes back in an answer: a person sees its last two digits."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.api import validated
from geoportal.paging import page_window, paged
from geoportal.parsers import JSONParser
from participation import comments, verification
from participation.phones import ending
from participation.selectors import comment_out, public_comments, round_by_slug
from reports.api.common import actor_of, request_language
from reports.errors import Invalid

ERRORS = {400: OpenApiTypes.OBJECT, 401: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT,
          404: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT, 429: OpenApiTypes.OBJECT}  # fmt: skip


class CodeInput(serializers.Serializer):
    round = serializers.SlugField(max_length=80)
    phone = serializers.CharField(max_length=40)


class VerifyInput(serializers.Serializer):
    phone = serializers.CharField(max_length=40)
    code = serializers.CharField(max_length=12)


class CommentInput(serializers.Serializer):
    body = serializers.CharField(max_length=comments.BODY_MAX + 200)
    display_name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ModerateCommentInput(serializers.Serializer):
    hidden = serializers.BooleanField()
    reason = serializers.CharField(max_length=500)


def _mine(request) -> dict:
    phone = verification.verified_phone(request.user)
    return {"verified": phone is not None, "ending": ending(phone) if phone else None}


class PhoneView(APIView):
    @extend_schema(summary="Whether my account has a verified phone (its last two digits)",
                   responses=OpenApiTypes.OBJECT)  # fmt: skip
    def get(self, request):
        return Response(_mine(request))


class PhoneCodeView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Send a one-time code by SMS to my phone (for a round's vote)",
                   request=CodeInput, responses={202: OpenApiTypes.OBJECT, **ERRORS})  # fmt: skip
    def post(self, request):
        data = validated(CodeInput, request.data)
        budget_round = round_by_slug(data["round"])
        if budget_round is None:
            raise Invalid("round", f"No budget round {data['round']!r}.")
        number = verification.code_send(actor=actor_of(request), budget_round=budget_round,
                                        phone=data["phone"], language=request_language(request))  # fmt: skip
        return Response({"sent": True, "ending": ending(number),
                         "expires_in": verification.CODE_MINUTES * 60}, status=202)  # fmt: skip


class PhoneVerifyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Prove my phone number with the code it received",
                   request=VerifyInput, responses={200: OpenApiTypes.OBJECT, **ERRORS})  # fmt: skip
    def post(self, request):
        data = validated(VerifyInput, request.data)
        verification.code_confirm(actor=actor_of(request), phone=data["phone"], code=data["code"])
        return Response(_mine(request))


class CommentsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Comments on a proposal (public; oldest first, paged)",
                   parameters=[OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
                   responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT})  # fmt: skip
    def get(self, request, pk: int):
        limit, offset = page_window(request.query_params, default=50, maximum=200)
        comments.visible_proposal(pk)
        count, rows = public_comments(pk, limit=limit, offset=offset)
        return Response(paged(request, count=count, limit=limit, offset=offset, results=rows))

    @extend_schema(summary="Comment on a proposal (any person with an account)",
                   request=CommentInput, responses={201: OpenApiTypes.OBJECT, **ERRORS})  # fmt: skip
    def post(self, request, pk: int):
        data = validated(CommentInput, request.data)
        made = comments.comment_add(actor=actor_of(request), proposal_id=pk, **data)
        return Response(comment_out(made), status=201)


class CommentModerateView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Hide or show a comment with a reason (supervisors, administrators)",
                   request=ModerateCommentInput, responses={200: OpenApiTypes.OBJECT, **ERRORS})  # fmt: skip
    def post(self, request, pk: int):
        data = validated(ModerateCommentInput, request.data)
        comment = comments.comment_moderate(actor=actor_of(request), comment_id=pk, **data)
        return Response({"id": comment.pk, "hidden": comment.hidden,
                         "reason": comment.hidden_reason})  # fmt: skip
