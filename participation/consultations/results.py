"""Results of a consultation per question and per area, counted in SQL
(participation/sql/consultation_*.sql): counts per value of the lists with the leading
value, mean / median / range of numbers, how many answered; text answers themselves only
for those allowed to read them."""

from pathlib import Path

from geoportal.sql import fetch_dicts, fetch_value, sql_file
from participation.consultations.models import (
    LISTS,
    Consultation,
    ConsultationAnswer,
    Datatype,
)

SQL = Path(__file__).resolve().parents[1] / "sql"
ALL = "all"


def _leading(counts: dict[str, int]) -> str | None:
    """The value with the most answers; None without answers or when two or more tie."""
    if not counts:
        return None
    top = max(counts.values())
    leaders = [key for key, n in counts.items() if n == top]
    return leaders[0] if len(leaders) == 1 else None


def _number(value) -> float | None:
    return None if value is None else round(float(value), 4)


def _cell(question, answered: dict | None, counts: dict[str, int]) -> dict:
    cell = {"answers": answered["answers"] if answered else 0}
    if question.datatype in LISTS:
        ordered = {v["key"]: counts.get(v["key"], 0) for v in question.values}
        cell.update(counts=ordered, leading=_leading({k: n for k, n in ordered.items() if n}))
    elif question.datatype == Datatype.NUMBER:
        cell.update({k: _number(answered[k] if answered else None)
                     for k in ("mean", "median", "min", "max")})  # fmt: skip
    return cell


def _texts(consultation: Consultation) -> dict[int, list[dict]]:
    rows = (
        ConsultationAnswer.objects.filter(
            response__consultation=consultation, question__datatype=Datatype.TEXT
        )
        .exclude(text="")
        .order_by("question_id", "response__area__pcode", "pk")
        .values("question_id", "text", "response__area_id")
    )
    found: dict[int, list[dict]] = {}
    for row in rows:
        found.setdefault(row["question_id"], []).append(
            {"area": row["response__area_id"], "text": row["text"]}
        )
    return found


def consultation_results(consultation: Consultation, *, lang: str, with_text: bool) -> dict:
    params = {"consultation": consultation.pk}
    answered = {(r["question_id"], r["area_id"]): r
                for r in fetch_dicts(sql_file(SQL / "consultation_answers.sql"), params)}  # fmt: skip
    counts: dict[tuple, dict[str, int]] = {}
    for r in fetch_dicts(sql_file(SQL / "consultation_choices.sql"), params):
        counts.setdefault((r["question_id"], r["area_id"]), {})[r["key"]] = r["n"]
    responses = {r["area_id"]: r["n"]
                 for r in fetch_dicts(sql_file(SQL / "consultation_responses.sql"), params)}  # fmt: skip
    areas = list(consultation.areas.order_by("pcode"))
    texts = _texts(consultation) if with_text else {}
    questions = []
    for q in consultation.questions.all():
        by_area = {str(a.pk): _cell(q, answered.get((q.pk, a.pk)), counts.get((q.pk, a.pk), {}))
                   for a in areas}  # fmt: skip
        out = {
            "code": q.code, "datatype": q.datatype, "label": q.label(lang),
            "values": [{"key": v["key"], "name": v.get(f"name_{lang}") or v["name_fr"]}
                       for v in q.values],
            ALL: _cell(q, answered.get((q.pk, None)), counts.get((q.pk, None), {})),
            "by_area": by_area,
        }  # fmt: skip
        if q.datatype == Datatype.TEXT:
            out["texts"] = texts.get(q.pk, []) if with_text else None
        questions.append(out)
    return {
        "consultation": consultation.pk,
        "responses": responses.get(None, 0),
        "areas": [
            {
                "id": a.pk,
                "pcode": a.pcode,
                "name": a.name(lang),
                "responses": responses.get(a.pk, 0),
            }
            for a in areas
        ],  # fmt: skip
        "text_answers": "shown" if with_text else "staff only",
        "questions": questions,
    }


def areas_geojson(consultation: Consultation) -> str:
    return fetch_value(
        sql_file(SQL / "consultation_areas_geojson.sql"), {"consultation": consultation.pk}
    )
