"""Consultations API: public reads (results once closed, live for the town hall's staff);
writes by explicit action (communes.access `consultation.*`); answers by any person with
an account, once."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.access import can
from communes.selectors import jurisdiction_by_slug
from geoportal.api import validated
from geoportal.params import query_choice
from geoportal.parsers import JSONParser
from participation.consultations import export, inputs, services
from participation.consultations.models import Consultation
from participation.consultations.results import areas_geojson, consultation_results
from participation.consultations.selectors import (
    consultation_get,
    consultation_out,
    consultation_summary,
    consultations,
    results_visible,
    text_visible,
)
from reports.api.common import actor_of, request_language
from reports.errors import Forbidden, Invalid, NotFound

STATES = ("scheduled", "open", "closed")
CSV = "text/csv; charset=utf-8"


class NotYet(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_published"
    default_detail = "Results are public once the consultation has closed."


def _questions(data: dict) -> None:
    if "questions" in data:
        data["questions"] = [
            {**q, "values": [dict(v) for v in q.get("values", [])]} for q in data["questions"]
        ]


def _get(pk: int) -> Consultation:
    found = consultation_get(pk)
    if found is None:
        raise NotFound(f"No consultation {pk}.")
    return found


def _out(request, pk: int) -> dict:
    return consultation_out(_get(pk), request_language(request), actor_of(request))


def _csv(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


class ConsultationListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Consultations (public)",
        parameters=[OpenApiParameter("jurisdiction", str), OpenApiParameter("state", str, enum=STATES)],
        responses=OpenApiTypes.OBJECT,
    )  # fmt: skip
    def get(self, request):
        current = query_choice(request.query_params, "state", STATES, default=None)
        lang = request_language(request)
        found = consultations(
            jurisdiction=request.query_params.get("jurisdiction"), current=current
        )
        return Response({"results": [consultation_summary(c, lang) for c in found]})

    @extend_schema(summary="Create a consultation (administrators, planners)",
                   request=inputs.ConsultationInput, responses={201: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request):
        data = validated(inputs.ConsultationInput, request.data)
        _questions(data)
        jurisdiction = jurisdiction_by_slug(data.pop("jurisdiction"))
        if jurisdiction is None:
            raise Invalid("jurisdiction", "No such jurisdiction.")
        made = services.consultation_create(
            actor=actor_of(request), jurisdiction=jurisdiction, **data
        )
        return Response(_out(request, made.pk), status=201)


class ConsultationDetailView(APIView):
    parser_classes = [JSONParser]
    error_statuses = ("409",)  # questions, areas or anonymity changed after answers

    @extend_schema(summary="One consultation with its questions", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        return Response(_out(request, pk))

    @extend_schema(summary="Edit a consultation (administrators, planners)",
                   request=inputs.ConsultationEdit, responses=OpenApiTypes.OBJECT)  # fmt: skip
    def patch(self, request, pk: int):
        data = validated(inputs.ConsultationEdit, request.data, partial=True)
        _questions(data)
        services.consultation_edit(actor=actor_of(request), consultation_id=_get(pk).pk, **data)
        return Response(_out(request, pk))


class ConsultationOpenView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary="Open now (administrators, planners)", request=inputs.OpenInput,
                   responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request, pk: int):
        data = validated(inputs.OpenInput, request.data)
        services.consultation_open(actor=actor_of(request), consultation_id=_get(pk).pk, **data)
        return Response(_out(request, pk))


class ConsultationCloseView(APIView):
    parser_classes = [JSONParser]
    error_statuses = ("409",)  # not opened yet

    @extend_schema(summary="Close now (administrators, planners)", request=None,
                   responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request, pk: int):
        services.consultation_close(actor=actor_of(request), consultation_id=_get(pk).pk)
        return Response(_out(request, pk))


class ConsultationAnswerView(APIView):
    parser_classes = [JSONParser]
    error_statuses = ("409",)  # not open, or already answered

    @extend_schema(summary="Answer (any person with an account, once)",
                   request=inputs.AnswerInput, responses={201: OpenApiTypes.OBJECT})  # fmt: skip
    def post(self, request, pk: int):
        data = validated(inputs.AnswerInput, request.data)
        response = services.consultation_answer(
            actor=actor_of(request), consultation_id=_get(pk).pk, **data
        )
        return Response({"consultation": pk, "area": response.area_id, "answered": True},
                        status=201)  # fmt: skip


def _results(request, pk: int) -> dict:
    consultation, actor = _get(pk), actor_of(request)
    if not results_visible(consultation, actor):
        raise NotYet()
    return consultation_results(consultation, lang=request_language(request),
                                with_text=text_visible(consultation, actor))  # fmt: skip


class ConsultationResultsView(APIView):
    error_statuses = ("409",)  # before the close, for the public

    @extend_schema(summary="Results per question and area", responses=OpenApiTypes.OBJECT)
    def get(self, request, pk: int):
        return Response(_results(request, pk))


class CsvView(APIView):
    def perform_content_negotiation(self, request, force=False):
        # The download is CSV; errors are always JSON.
        return JSONRenderer(), JSONRenderer.media_type


class ConsultationResultsCsvView(CsvView):
    error_statuses = ("409",)

    @extend_schema(summary="Results per question, area and value as CSV",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})  # fmt: skip
    def get(self, request, pk: int):
        return _csv(export.results_csv(_results(request, pk)), f"consultation-{pk}-results")


class ConsultationAnswersCsvView(CsvView):
    @extend_schema(summary="Raw answers as CSV, without identities (the town hall's staff)",
                   responses={(200, "text/csv"): OpenApiTypes.BINARY})  # fmt: skip
    def get(self, request, pk: int):
        consultation = _get(pk)
        if not can(actor_of(request), "consultation.results", consultation):
            raise Forbidden("The raw answers are for the town hall's staff who read results.")
        return _csv(export.answers_csv(consultation), f"consultation-{pk}-answers")


class ConsultationAreasView(APIView):
    @extend_schema(summary="The consultation's areas as GeoJSON (for its map)",
                   responses={(200, "application/geo+json"): OpenApiTypes.OBJECT})  # fmt: skip
    def get(self, request, pk: int):
        body = areas_geojson(_get(pk))
        return HttpResponse(body, content_type="application/geo+json")
