"""Writes of consultations. Who may (communes.access, one action each:
`consultation.create`, `.edit`, `.open`, `.close`, for administrators and planners of
the town hall); any person with an account answers, once (see models.Participant)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status

from communes.access import Actor, can
from layers.models import AdminArea
from participation.consultations.answers import clean_answers
from participation.consultations.models import (
    LISTS,
    Consultation,
    ConsultationAnswer,
    ConsultationQuestion,
    ConsultationResponse,
    Participant,
)
from reports.errors import Forbidden, Invalid, NotFound

LOCKED_ONCE_ANSWERED = ("questions", "areas", "anonymous")


class NotOpen(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "consultation_not_open"


class AlreadyAnswered(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "already_answered"
    default_detail = "You have already answered this consultation: one answer per person."


class AlreadyAnswers(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "has_answers"


def state(consultation: Consultation, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if now < consultation.opens_at:
        return "scheduled"
    return "open" if now < consultation.closes_at else "closed"


def _get(consultation_id: int, *, lock: bool = False) -> Consultation:
    qs = Consultation.objects.select_for_update() if lock else Consultation.objects
    found = qs.filter(pk=consultation_id).first()
    if found is None:
        raise NotFound(f"No consultation {consultation_id}.")
    return found


def _allowed(actor: Actor, action: str, consultation_or_jurisdiction) -> None:
    if not can(actor, action, consultation_or_jurisdiction):
        raise Forbidden(
            f"Your role does not allow {action} here: administrators and planners of the "
            "town hall do."
        )


def _areas(jurisdiction, area_ids: list[int]) -> list[AdminArea]:
    """Communes or sections of the town hall, named by their ids."""
    pcodes = jurisdiction.pcodes or []
    found = list(AdminArea.objects.filter(pk__in=area_ids, level__in=["commune", "section"]))
    missing = sorted(set(area_ids) - {a.pk for a in found})
    if missing:
        raise Invalid("areas", f"No commune or section with id {missing[0]}.")
    outside = [a for a in found if a.pcode not in pcodes and a.parent_pcode not in pcodes]
    if outside:
        raise Invalid("areas", f"{outside[0].pcode} is not an area of {jurisdiction.slug}.")
    return found


def _window(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise Invalid("closes_at", "A consultation closes after it opens.")


def _check_questions(questions: list[dict]) -> None:
    if not questions:
        raise Invalid("questions", "Ask at least one question.")
    codes = [q["code"] for q in questions]
    if len(set(codes)) != len(codes):
        raise Invalid("questions", "Each question has its own code.")
    for q in questions:
        keys = [v["key"] for v in q.get("values") or []]
        if q["datatype"] in LISTS and not keys:
            raise Invalid("questions", f"{q['code']}: a list question names its values.")
        if q["datatype"] not in LISTS and keys:
            raise Invalid("questions", f"{q['code']}: only list questions have values.")
        if len(set(keys)) != len(keys):
            raise Invalid("questions", f"{q['code']}: each value has its own key.")
        low, high = q.get("min_value"), q.get("max_value")
        if low is not None and high is not None and low > high:
            raise Invalid("questions", f"{q['code']}: min_value is above max_value.")


def _set_questions(consultation: Consultation, questions: list[dict]) -> None:
    _check_questions(questions)
    consultation.questions.all().delete()
    for order, q in enumerate(questions, start=1):
        ConsultationQuestion.objects.create(consultation=consultation, order=order, **q)


@transaction.atomic
def consultation_create(
    *, actor: Actor, jurisdiction, areas: list[int], questions: list[dict],
    opens_at: datetime, closes_at: datetime, **fields,
) -> Consultation:  # fmt: skip
    _allowed(actor, "consultation.create", jurisdiction)
    _window(opens_at, closes_at)
    chosen = _areas(jurisdiction, areas)
    consultation = Consultation.objects.create(
        jurisdiction=jurisdiction, opens_at=opens_at, closes_at=closes_at, **fields
    )
    consultation.areas.set(chosen)
    _set_questions(consultation, questions)
    return consultation


@transaction.atomic
def consultation_edit(*, actor: Actor, consultation_id: int, **changes) -> Consultation:
    """Texts and dates may change at any time; questions, areas and anonymity only
    before the first answer (answers were given to those questions, under that promise)."""
    consultation = _get(consultation_id, lock=True)
    _allowed(actor, "consultation.edit", consultation)
    locked = [key for key in LOCKED_ONCE_ANSWERED if key in changes]
    if locked and consultation.responses.exists():
        raise AlreadyAnswers(f"People have answered: {', '.join(locked)} can no longer change.")
    areas, questions = changes.pop("areas", None), changes.pop("questions", None)
    for key, value in changes.items():
        setattr(consultation, key, value)
    _window(consultation.opens_at, consultation.closes_at)
    consultation.save()
    if areas is not None:
        consultation.areas.set(_areas(consultation.jurisdiction, areas))
    if questions is not None:
        _set_questions(consultation, questions)
    return consultation


@transaction.atomic
def consultation_open(
    *, actor: Actor, consultation_id: int, closes_at: datetime | None = None
) -> Consultation:
    """Opens now (and until `closes_at` if given)."""
    consultation = _get(consultation_id, lock=True)
    _allowed(actor, "consultation.open", consultation)
    now = timezone.now()
    if state(consultation, now) == "open" and closes_at is None:
        return consultation
    consultation.opens_at = min(consultation.opens_at, now)
    consultation.closes_at = closes_at or consultation.closes_at
    if consultation.closes_at <= now:
        raise Invalid("closes_at", "Say until when it opens: closes_at in the future.")
    consultation.save(update_fields=["opens_at", "closes_at"])
    return consultation


@transaction.atomic
def consultation_close(*, actor: Actor, consultation_id: int) -> Consultation:
    consultation = _get(consultation_id, lock=True)
    _allowed(actor, "consultation.close", consultation)
    now = timezone.now()
    current = state(consultation, now)
    if current == "scheduled":
        raise NotOpen("The consultation has not opened yet: change its dates instead.")
    if current == "open":
        consultation.closes_at = now
        consultation.save(update_fields=["closes_at"])
    return consultation


def _check_open(consultation: Consultation) -> None:
    current = state(consultation)
    if current == "scheduled":
        raise NotOpen(f"The consultation opens at {consultation.opens_at.isoformat()}.")
    if current == "closed":
        raise NotOpen(f"The consultation closed at {consultation.closes_at.isoformat()}.")


def _respondent_area(consultation: Consultation, cleaned, area_id: int | None) -> AdminArea:
    """The area of the point answer if there is one (the smallest of the consultation's
    areas that holds it), else the area the person picked."""
    areas = consultation.areas.all()
    for answer in cleaned:
        if answer.point is not None:
            found = areas.filter(geom__covers=answer.point).order_by("area_km2", "pk").first()
            if found is None:
                raise Invalid(
                    f"answers.{answer.question.code}",
                    f"{answer.question.code}: the point is outside the consultation's areas.",
                )
            return found
    if area_id is None:
        raise Invalid("area", "Choose your area among the consultation's areas.")
    found = areas.filter(pk=area_id).first()
    if found is None:
        raise Invalid("area", f"Area {area_id} is not one of the consultation's areas.")
    return found


def consultation_answer(
    *, actor: Actor, consultation_id: int, answers: object, area: int | None = None
) -> ConsultationResponse:
    if actor.user is None:
        raise exceptions.NotAuthenticated("Log in with your account to answer.")
    with transaction.atomic():
        consultation = _get(consultation_id)
        _check_open(consultation)
        cleaned = clean_answers(list(consultation.questions.all()), answers)
        where = _respondent_area(consultation, cleaned, area)
        try:
            with transaction.atomic():
                Participant.objects.create(consultation=consultation, user=actor.user)
        except IntegrityError:
            raise AlreadyAnswered() from None
        response = ConsultationResponse.objects.create(
            consultation=consultation, area=where, submitted_on=timezone.localdate(),
            respondent=None if consultation.anonymous else actor.user,
        )  # fmt: skip
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(response=response, question=a.question, text=a.text,
                               number=a.number, choices=a.choices, point=a.point)
            for a in cleaned
        )  # fmt: skip
    return response
