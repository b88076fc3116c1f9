"""CSV downloads of a consultation: its results (per question, area and value) for
everyone who may see them; its raw answers for the town hall's staff, without any
identity (no account, not even for a named consultation), one row per response."""

from analytics.results import Result, to_csv
from participation.consultations.models import Consultation, ConsultationResponse, Datatype

# A spreadsheet runs a cell that starts like a formula: text answers are defused.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_START) else text


def results_csv(results: dict) -> bytes:
    names = {str(a["id"]): (a["pcode"], a["name"]) for a in results["areas"]}
    rows = [{"question": "", "datatype": "", "area": pcode, "area_name": name,
             "measure": "responses", "value_key": "", "value_name": "", "value": a["responses"]}
            for a, (pcode, name) in ((a, names[str(a["id"])]) for a in results["areas"])]  # fmt: skip
    for q in results["questions"]:
        cells = [("all", "", q["all"])] + [(*names[i], cell) for i, cell in q["by_area"].items()]
        value_names = {v["key"]: v["name"] for v in q["values"]}
        for pcode, name, cell in cells:
            base = {"question": q["code"], "datatype": q["datatype"], "area": pcode,
                    "area_name": name}  # fmt: skip
            rows.append({**base, "measure": "answers", "value_key": "", "value_name": "",
                         "value": cell["answers"]})  # fmt: skip
            for key, n in (cell.get("counts") or {}).items():
                rows.append({**base, "measure": "count", "value_key": key,
                             "value_name": value_names[key], "value": n})  # fmt: skip
            for measure in ("mean", "median", "min", "max"):
                if measure in cell:
                    rows.append({**base, "measure": measure, "value_key": "", "value_name": "",
                                 "value": cell[measure]})  # fmt: skip
    return to_csv(Result(name="results", rows=rows, geometries=[None] * len(rows)))


def _value(answer) -> str | float | None:
    kind = answer.question.datatype
    if kind == Datatype.TEXT:
        return _safe(answer.text)
    if kind == Datatype.NUMBER:
        return answer.number
    if kind == Datatype.POINT:
        return f"{answer.point.x:.6f} {answer.point.y:.6f}"
    return "|".join(answer.choices)


def answers_csv(consultation: Consultation) -> bytes:
    codes = list(consultation.questions.values_list("code", flat=True))
    responses = (
        ConsultationResponse.objects.filter(consultation=consultation)
        .select_related("area")
        .prefetch_related("answers__question")
        .order_by("area__pcode", "id")  # random ids: no order of arrival
    )
    rows = []
    for number, response in enumerate(responses, start=1):
        row = {"response": number, "area": response.area.pcode, "area_name": response.area.name_fr}
        row.update(dict.fromkeys(codes))
        row.update({a.question.code: _value(a) for a in response.answers.all()})
        rows.append(row)
    if not rows:  # the header alone
        return (",".join(["response", "area", "area_name", *codes]) + "\r\n").encode()
    return to_csv(Result(name="answers", rows=rows, geometries=[None] * len(rows)))
