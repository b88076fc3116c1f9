"""Inbound webhooks of the gateways. The door is the provider's proof (Twilio's
signature, RapidPro's shared secret), checked before anything is read into a
conversation: forged 403, unknown gateway 404, over a limit 429."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from channels.gateways import Forged, Malformed, rapidpro, twilio
from channels.models import ApproximatePlace, Gateway
from channels.pinning import report_pin
from channels.services import receive
from geoportal.parsers import FormParser, JSONParser
from reports.api.common import actor_of, get_report

BODY_MAX = 64 * 1024  # a message is at most 1,600 characters; the rest is metadata
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _gateway(kind: str, key: str) -> Gateway:
    gateway = Gateway.objects.select_related("jurisdiction").filter(kind=kind, key=key[:40])
    found = gateway.filter(active=True).first()
    if found is None:
        raise NotFound(f"No active {kind} gateway {key[:40]!r}.")
    return found


class InboundView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    error_statuses = ("429",)  # per number and per gateway (channels.limits)
    max_body_bytes = staticmethod(lambda: BODY_MAX)


class TwilioInboundView(InboundView):
    parser_classes = [FormParser]

    @extend_schema(
        summary="Twilio's SMS / WhatsApp webhook (form POST signed in X-Twilio-Signature)",
        request={"application/x-www-form-urlencoded": OpenApiTypes.OBJECT},
        responses={200: OpenApiResponse(description="Empty TwiML: replies go out by the API.")},
    )
    def post(self, request, key: str):
        gateway = _gateway("twilio", key)
        try:
            twilio.verify(request, gateway)
            inbound = twilio.parse(request)
        except Forged as exc:
            raise PermissionDenied(str(exc)) from None
        except Malformed as exc:
            raise ParseError(str(exc)) from None
        receive(gateway=gateway, inbound=inbound)
        return HttpResponse(TWIML_EMPTY, content_type="text/xml; charset=utf-8")


class RapidProInboundView(InboundView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="RapidPro / TextIt flow webhook (default body; header X-Komin-Secret)",
        request={"application/json": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request, key: str):
        gateway = _gateway("rapidpro", key)
        try:
            rapidpro.verify(request, gateway)
            inbound = rapidpro.parse(request.data)
        except Forged as exc:
            raise PermissionDenied(str(exc)) from None
        except Malformed as exc:
            raise ParseError(str(exc)) from None
        receive(gateway=gateway, inbound=inbound)
        return Response({"received": True})


class PinInput(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)


class PinView(APIView):
    """Crews, supervisors and administrators of the report (POLICY "report.work")."""

    parser_classes = [JSONParser]

    @extend_schema(
        summary="Pin a report placed from a name (SMS) at the point a crew found",
        request=PinInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = PinInput(data=request.data)
        values.is_valid(raise_exception=True)
        report = report_pin(report_id=report.pk, actor=actor_of(request), **values.validated_data)
        place = ApproximatePlace.objects.filter(report=report).first()
        return Response({
            "reference": report.reference,
            "version": report.version,
            "location": {"lon": report.location.x, "lat": report.location.y},
            "approximate_place": {"name": place.name, "uncertainty_m": place.uncertainty_m,
                                  "pinned_at": place.pinned_at.isoformat()} if place else None,
        })  # fmt: skip
