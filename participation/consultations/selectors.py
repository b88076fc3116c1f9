"""Reads of consultations: one or a list as JSON, who may see results now, and whether
a person has answered."""

from django.db.models import QuerySet

from communes.access import Actor, can
from participation.consultations.models import Consultation, Participant
from participation.consultations.services import state


def consultations(*, jurisdiction: str | None = None, current: str | None = None) -> QuerySet:
    qs = Consultation.objects.select_related("jurisdiction").prefetch_related("areas")
    if jurisdiction:
        qs = qs.filter(jurisdiction__slug=jurisdiction)
    return qs if current is None else qs.filter(pk__in=[c.pk for c in qs if state(c) == current])


def consultation_get(consultation_id: int) -> Consultation | None:
    return (
        Consultation.objects.select_related("jurisdiction")
        .prefetch_related("areas", "questions")
        .filter(pk=consultation_id)
        .first()
    )


def results_visible(consultation: Consultation, actor: Actor) -> bool:
    """Public once closed; live to the town hall's staff who read results."""
    return state(consultation) == "closed" or can(actor, "consultation.results", consultation)


def text_visible(consultation: Consultation, actor: Actor) -> bool:
    return can(actor, "consultation.results", consultation) or (
        consultation.public_text and state(consultation) == "closed"
    )


def has_answered(consultation: Consultation, actor: Actor) -> bool:
    if actor.user is None:
        return False
    return Participant.objects.filter(consultation=consultation, user=actor.user).exists()


def _question_out(q, lang: str) -> dict:
    return {
        "code": q.code, "datatype": q.datatype, "label": q.label(lang), "required": q.required,
        "values": [{"key": v["key"], "name": v.get(f"name_{lang}") or v["name_fr"]}
                   for v in q.values],
        "min_value": q.min_value, "max_value": q.max_value,
    }  # fmt: skip


def consultation_summary(c: Consultation, lang: str) -> dict:
    return {
        "id": c.pk,
        "jurisdiction": c.jurisdiction.slug,
        "title": c.title(lang),
        "state": state(c),
        "opens_at": c.opens_at.isoformat(),
        "closes_at": c.closes_at.isoformat(),
        "anonymous": c.anonymous,
        "sample": c.sample,
        "page": f"/consultations/{c.pk}/",
    }


def consultation_out(c: Consultation, lang: str, actor: Actor) -> dict:
    return {
        **consultation_summary(c, lang),
        "jurisdiction_name": c.jurisdiction.name(lang),
        "description": c.description(lang),
        "public_text": c.public_text,
        "areas": [
            {"id": a.pk, "pcode": a.pcode, "level": a.level, "name": a.name(lang)}
            for a in sorted(c.areas.all(), key=lambda a: a.pcode)
        ],  # fmt: skip
        "questions": [_question_out(q, lang) for q in c.questions.all()],
        "answered": has_answered(c, actor),
        "results_visible": results_visible(c, actor),
        "staff": can(actor, "consultation.results", c),  # live results, raw answers
    }
