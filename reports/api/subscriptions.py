"""Following an area by e-mail, and stopping."""

from django.http import HttpResponseRedirect
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from geoportal.limits.clients import client_identity
from geoportal.limits.throttles import AnonActionThrottle
from layers.selectors.areas import area_by_pcode
from reports.api.common import request_language
from reports.api.inputs import AreaFollowInput
from reports.errors import Invalid
from reports.services.subscriptions import confirm, subscribe, unsubscribe


class AreaFollowView(APIView):
    throttle_classes = [AnonActionThrottle]

    @extend_schema(
        summary="Follow the reports of an area by e-mail",
        request=AreaFollowInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request):
        data = AreaFollowInput(data=request.data)
        data.is_valid(raise_exception=True)
        area = area_by_pcode(data.validated_data["area"])
        if area is None:
            raise Invalid("area", f"No area {data.validated_data['area']!r}.")
        subscription, created = subscribe(
            email=data.validated_data["email"],
            area=area,
            user=request.user,
            language=request_language(request),
            client=client_identity(request),
        )
        return Response(
            {"area": area.pcode, "confirmed": subscription.confirmed},
            status=201 if created else 200,
        )


class ConfirmView(APIView):
    @extend_schema(
        summary="Confirm a subscription (the link of the confirmation e-mail)",
        request=None,
        responses=OpenApiTypes.OBJECT,
        operation_id="reports_subscription_confirm",
    )
    def get(self, request, token: str):
        subscription = confirm(token=token)
        return Response({"email": subscription.email, "confirmed": True})


class UnsubscribeView(APIView):
    """The token is the credential: no session, so no CSRF token is needed, which is what
    RFC 8058 one-click unsubscription (a mail provider's POST) requires."""

    authentication_classes: list = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(
        summary="Stop following: a person's click lands on the confirmation page",
        operation_id="reports_unsubscribe_page",
        request=None,
        responses={302: None},
    )
    def get(self, request, token: str):
        # A GET must not unsubscribe (link checkers and previews open links): it leads to
        # the page whose button posts.
        return HttpResponseRedirect(reverse("stop-following", args=[token]))

    @extend_schema(
        summary="Stop following (RFC 8058 one-click: body List-Unsubscribe=One-Click)",
        operation_id="reports_unsubscribe_one_click",
        request=None,
        responses={204: None, 404: OpenApiTypes.OBJECT},
    )
    def post(self, request, token: str):
        unsubscribe(token=token)
        return Response(status=204)

    @extend_schema(
        summary="Stop following (the token is in every notification)",
        operation_id="reports_unsubscribe",
        request=None,
        responses={204: None, 404: OpenApiTypes.OBJECT},
    )
    def delete(self, request, token: str):
        unsubscribe(token=token)
        return Response(status=204)
