"""Answers to a category's extra questions, checked against their Open311 datatypes."""

import math

from django.utils.translation import gettext as _

from reports.dates import parse_moment
from reports.errors import Invalid
from reports.models import Category, Question

MAX_STRING = 300
MAX_TEXT = 5000


def current_language() -> str:
    from django.utils.translation import get_language

    lang = (get_language() or "fr")[:2]
    return lang if lang in ("fr", "ht", "en") else "fr"


def clean_answers(
    category: Category,
    answers: dict | None,
    *,
    required: bool = True,
    questions: list[Question] | None = None,
) -> dict:
    """`required=False`: required questions may stay unanswered (a report by SMS, which
    the crew completes); what is answered is still checked. `questions`: the category's
    in their order, when the caller has them already; else they are read."""
    answers = dict(answers or {})
    if questions is None:
        questions = category.questions.all()
    questions = [q for q in questions if q.variable]
    known = {q.code for q in questions}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise Invalid(
            "answers",
            f"unknown question(s) {', '.join(unknown)} for category {category.code}; "
            f"expected {', '.join(sorted(known)) or 'none'}.",
        )
    clean = {}
    for question in questions:
        value = answers.get(question.code)
        if value in (None, "", []):
            if question.required and required:
                label = question.text(current_language()).rstrip(" ?:").strip()
                message = _("Please answer the question “%(question)s”.") % {"question": label}
                raise Invalid(f"answers.{question.code}", message, plain=True)
            continue
        clean[question.code] = _clean_value(question, value)
    return clean


def _clean_value(question: Question, value):
    field = f"answers.{question.code}"
    kind = question.datatype
    if kind in (Question.Datatype.STRING, Question.Datatype.TEXT):
        limit = MAX_STRING if kind == Question.Datatype.STRING else MAX_TEXT
        text = str(value).strip()
        if len(text) > limit:
            raise Invalid(field, f"At most {limit} characters.")
        return text
    if kind == Question.Datatype.NUMBER:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise Invalid(field, f"{value!r} is not a number.") from None
        if not math.isfinite(number):
            raise Invalid(field, f"{value!r} is not a finite number.")
        return int(number) if number.is_integer() else number
    if kind == Question.Datatype.DATETIME:
        try:
            return parse_moment(str(value)).isoformat()
        except ValueError as exc:
            raise Invalid(field, str(exc)) from None
    keys = [item["key"] for item in question.values]
    if kind == Question.Datatype.SINGLEVALUELIST:
        if isinstance(value, list):
            if len(value) != 1:
                raise Invalid(field, "Exactly one value is expected.")
            value = value[0]
        if str(value) not in keys:
            raise Invalid(field, f"{value!r} is not one of {', '.join(keys)}.")
        return str(value)
    items = value if isinstance(value, list) else str(value).split(",")
    items = [str(item).strip() for item in items if str(item).strip()]
    wrong = [item for item in items if item not in keys]
    if wrong:
        raise Invalid(field, f"{', '.join(wrong)} not in {', '.join(keys)}.")
    return sorted(set(items), key=keys.index)
