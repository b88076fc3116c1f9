"""Following an area by e-mail, and stopping."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from layers.selectors.areas import area_by_pcode
from reports.api.inputs import AreaFollowInput
from reports.api.throttles import AnonActionThrottle
from reports.errors import Invalid
from reports.services.reports import subscribe, unsubscribe


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
        _, created = subscribe(email=data.validated_data["email"], area=area)
        return Response({"area": area.pcode, "following": True}, status=201 if created else 200)


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

    post = delete
