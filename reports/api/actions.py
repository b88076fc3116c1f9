"""Actions on one report: transition (or comment), assign, merge, moderate, support,
follow, history."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from communes.access import can
from communes.selectors import jurisdiction_by_slug
from geoportal.api import validated
from geoportal.body_limits import upload_cap
from geoportal.idempotency import IDEMPOTENCY_PARAMETER, idempotent
from geoportal.limits.clients import client_address, client_identity
from geoportal.limits.throttles import AnonActionThrottle
from geoportal.parsers import FormParser, JSONParser, MultiPartParser
from reports import conf
from reports.api import output
from reports.api.common import (
    actor_of,
    expected_version,
    get_report,
    request_language,
    reraise_stale,
)
from reports.api.inputs import (
    AssignInput,
    FollowInput,
    MergeInput,
    ModerateInput,
    SupportInput,
    TransferInput,
    TransitionInput,
)
from reports.errors import Invalid, StaleVersion
from reports.models import Report
from reports.selectors.reports import history, visible_reports
from reports.services.photos import clean_photo
from reports.services.reports import fingerprint, report_support
from reports.services.subscriptions import subscribe
from reports.services.workflow import (
    report_assign,
    report_merge,
    report_moderate,
    report_transfer,
    report_transition,
)
from reports.workflow import Status


def _after(request, report_id: int) -> Response:
    """The report as the actor now sees it (an action may have hidden it from them)."""
    actor = actor_of(request)
    report = visible_reports(actor).filter(pk=report_id).first()
    if report is None:
        report = Report.objects.get(pk=report_id)
        body = {"reference": report.reference, "version": report.version}
    else:
        body = output.report_for(report, actor, request_language(request))
    response = Response(body)
    response["ETag"] = f'"{report.version}"'
    return response


# Writes that carry the version seen: stale (409, or 412 with If-Match), or none (428).
VERSIONED = ("409", "412", "428")


def _versioned(request, report: Report, values: dict, service) -> Response:
    """Runs `service(version)` with the version the client saw (body or If-Match); a stale
    one answers 409 (412 with If-Match); then the report as the actor now sees it."""
    try:
        service(expected_version(request, values.get("version")))
    except StaleVersion as exc:
        reraise_stale(request, exc)
    return _after(request, report.pk)


def _report_by_reference(reference: str, field: str) -> Report:
    target = Report.objects.filter(reference=reference).first()
    if target is None:
        raise Invalid(field, f"No report {reference}.")
    return target


class TransitionView(APIView):
    error_statuses = (*VERSIONED, "422")  # see geoportal.schema
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    max_body_bytes = staticmethod(upload_cap(lambda: conf.get("KOMIN_PHOTO_MAX_BYTES")))

    @extend_schema(
        summary="Change the status (or comment), with the version seen (409/412 if stale)",
        request={"application/json": TransitionInput, "multipart/form-data": TransitionInput},
        parameters=[IDEMPOTENCY_PARAMETER],
        responses=OpenApiTypes.OBJECT,
    )
    @idempotent
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(TransitionInput, request.data)
        if values["status"] == Status.DUPLICATE and values.get("duplicate_of"):
            # Marking a duplicate is a merge: linked to its original, supports moved over.
            original = _report_by_reference(values["duplicate_of"], "duplicate_of")
            return _versioned(request, report, values, lambda version: report_merge(
                report_id=report.pk, into_id=original.pk, actor=actor_of(request), version=version,
            ))  # fmt: skip
        photo = clean_photo(values["photo"], field="photo") if values.get("photo") else None
        return _versioned(request, report, values, lambda version: report_transition(
            report_id=report.pk, actor=actor_of(request), status=values["status"],
            version=version, public_note=values["public_note"],
            internal_note=values["internal_note"], photo=photo, token=values["token"] or None,
        ))  # fmt: skip


class AssignView(APIView):
    error_statuses = VERSIONED  # see geoportal.schema

    @extend_schema(
        summary="Assign to a team and member", request=AssignInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(AssignInput, request.data)
        return _versioned(request, report, values, lambda version: report_assign(
            report_id=report.pk, actor=actor_of(request), team_id=values["team"],
            assignee_id=values["assignee"], version=version, note=values["note"],
            priority=values["priority"],
        ))  # fmt: skip


class TransferView(APIView):
    @extend_schema(
        summary="Transfer to another jurisdiction (supervisors of the report's jurisdiction)",
        request=TransferInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(TransferInput, request.data)
        jurisdiction = jurisdiction_by_slug(values["jurisdiction"])
        if jurisdiction is None:
            raise Invalid("jurisdiction", f"No jurisdiction {values['jurisdiction']!r}.")
        return _versioned(request, report, values, lambda version: report_transfer(
            report_id=report.pk, actor=actor_of(request), jurisdiction=jurisdiction,
            version=version, note=values["note"],
        ))  # fmt: skip


class MergeView(APIView):
    error_statuses = VERSIONED  # see geoportal.schema

    @extend_schema(
        summary="Merge this duplicate into another report",
        request=MergeInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(MergeInput, request.data)
        target = _report_by_reference(values["into"], "into")
        return _versioned(request, report, values, lambda version: report_merge(
            report_id=report.pk, into_id=target.pk, actor=actor_of(request), version=version,
        ))  # fmt: skip


class ModerateView(APIView):
    @extend_schema(
        summary="Hide or show a report or one of its photos",
        request=ModerateInput,
        responses=OpenApiTypes.OBJECT,
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(ModerateInput, request.data)
        report_moderate(
            report_id=report.pk,
            actor=actor_of(request),
            hidden=values["hidden"],
            reason=values["reason"],
            photo_id=values["photo"],
        )
        return _after(request, report.pk)


class SupportView(APIView):
    throttle_classes = [AnonActionThrottle]

    @extend_schema(
        summary='"Me too": one per person', request=SupportInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(SupportInput, request.data)
        client = f"{client_address(request)}|{request.headers.get('User-Agent', '')}"
        print_ = fingerprint(user=request.user, email=values["email"], client=client)
        report, counted = report_support(report=report, fingerprint=print_)
        return Response(
            {
                "reference": report.reference,
                "support_count": report.support_count,
                "counted": counted,
            },
            status=201 if counted else 200,
        )


class FollowView(APIView):
    throttle_classes = [AnonActionThrottle]

    @extend_schema(
        summary="Follow a report by e-mail", request=FollowInput, responses=OpenApiTypes.OBJECT
    )
    def post(self, request, reference: str):
        report = get_report(request, reference)
        values = validated(FollowInput, request.data)
        subscription, created = subscribe(
            email=values["email"],
            report=report,
            user=request.user,
            language=request_language(request),
            client=client_identity(request),
        )
        return Response(
            {"reference": report.reference, "confirmed": subscription.confirmed},
            status=201 if created else 200,
        )


class HistoryView(APIView):
    @extend_schema(
        summary="The history of a report (internal notes for staff)", responses=OpenApiTypes.OBJECT
    )
    def get(self, request, reference: str):
        report = get_report(request, reference)
        actor = actor_of(request)
        staff = can(actor, "report.view_private", report)
        return Response(
            {
                "reference": report.reference,
                "updates": [
                    output.update_for(u, staff, request_language(request))
                    for u in history(report=report, staff=staff)
                ],
            }
        )
