"""Answers checked at the door, question by question: the datatype (text, number, one or
several keys of the list, a point), the range of a number, the list's keys, a point inside
the consultation's areas. Anything wrong is a 400 naming the question."""

import math
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point

from layers.geometry import GeometryError, point
from participation.consultations.models import ConsultationQuestion, Datatype
from reports.errors import Invalid

TEXT_MAX = 2000


@dataclass
class Cleaned:
    """What goes into a ConsultationAnswer row."""

    question: ConsultationQuestion
    text: str = ""
    number: float | None = None
    choices: list[str] = field(default_factory=list)
    point: Point | None = None


def _field(question: ConsultationQuestion) -> str:
    return f"answers.{question.code}"


def _text(question, value) -> Cleaned:
    if not isinstance(value, str):
        raise Invalid(_field(question), f"{question.code}: the answer is text.")
    if len(value) > TEXT_MAX:
        raise Invalid(_field(question), f"{question.code}: at most {TEXT_MAX} characters.")
    return Cleaned(question, text=value.strip())


def _number(question, value) -> Cleaned:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(_field(question), f"{question.code}: the answer is a number.")
    low, high = question.min_value, question.max_value
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'' if low is None else low} to {'' if high is None else high}".strip()
        raise Invalid(_field(question), f"{question.code}: {value} is out of range ({bounds}).")
    return Cleaned(question, number=float(value))


def _keys(question, value) -> Cleaned:
    multi = question.datatype == Datatype.MULTIVALUELIST
    keys = value if multi else [value]
    if multi and (not isinstance(value, list) or not value):
        raise Invalid(_field(question), f"{question.code}: a list of one or more keys.")
    known = [v["key"] for v in question.values]
    for key in keys:
        if not isinstance(key, str) or key not in known:
            raise Invalid(
                _field(question),
                f"{question.code}: {key!r} is not one of its values ({', '.join(known)}).",
            )
    if len(set(keys)) != len(keys):
        raise Invalid(_field(question), f"{question.code}: each value once.")
    return Cleaned(question, choices=sorted(keys, key=known.index))


def _point(question, value) -> Cleaned:
    lon = value.get("lon") if isinstance(value, dict) else None
    lat = value.get("lat") if isinstance(value, dict) else None
    numbers = all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in (lon, lat))
    if not numbers or not isinstance(value, dict) or set(value) != {"lon", "lat"}:
        raise Invalid(_field(question), f'{question.code}: a point is {{"lon": …, "lat": …}}.')
    try:
        return Cleaned(question, point=point(float(lon), float(lat)))
    except GeometryError as exc:
        raise Invalid(_field(question), f"{question.code}: {exc}.") from None


CHECKS = {
    Datatype.TEXT: _text,
    Datatype.NUMBER: _number,
    Datatype.SINGLEVALUELIST: _keys,
    Datatype.MULTIVALUELIST: _keys,
    Datatype.POINT: _point,
}


def clean_answers(questions: list[ConsultationQuestion], answers: object) -> list[Cleaned]:
    """Every answered question checked; unknown keys and missing required answers refused.
    An empty answer (null, "", []) counts as not answered."""
    if not isinstance(answers, dict):
        raise Invalid("answers", "An object: question code → answer.")
    by_code = {q.code: q for q in questions}
    unknown = sorted(set(answers) - set(by_code))
    if unknown:
        raise Invalid(f"answers.{unknown[0]}", f"{unknown[0]}: no such question here.")
    cleaned = []
    for question in questions:
        value = answers.get(question.code)
        if value is None or value == [] or (isinstance(value, str) and not value.strip()):
            if question.required:
                raise Invalid(_field(question), f"{question.code}: an answer is required.")
            continue
        cleaned.append(CHECKS[question.datatype](question, value))
    return cleaned
