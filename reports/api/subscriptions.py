"""Following an area by e-mail, and stopping."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from layers.selectors.areas import area_by_pcode
from reports.api.common import request_language
from reports.api.inputs import AreaFollowInput
from reports.api.throttles import AnonActionThrottle
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
    @extend_schema(
        summary="Stop following (the token is in every notification)",
        operation_id="reports_unsubscribe",
        request=None,
        responses={204: None},
    )
    def delete(self, request, token: str):
        unsubscribe(token=token)
        return Response(status=204)
