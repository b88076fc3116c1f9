"""Consultation results against an independent count in the test: per question and area,
counts per value and the leading one, mean and median of numbers; public once closed
(live to the town hall's staff), text answers to staff unless the consultation says
public; the CSV of results; one answer per person under concurrent submissions."""

import csv
import io
import statistics
import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils import timezone

from communes.access import actor_for
from communes.models import Jurisdiction
from participation.consultations.services import AlreadyAnswered, consultation_answer
from participation.models import Consultation, ConsultationQuestion, ConsultationResponse
from tests.participation.consultation_helpers import answer, make_consultation, sections

pytestmark = pytest.mark.django_db
URL = "/api/v1/participation/consultations/"
# (section index, priority, colours, age, idea)
GIVEN = [
    (0, "water", ["red", "blue"], 30, "Un marché couvert"),
    (0, "water", ["red"], 41, ""),
    (0, "roads", [], 25, None),
    (1, "lights", ["green"], 60, "Plus de lampadaires"),
    (1, "lights", ["green", "blue"], None, None),
    (1, "water", ["blue"], 35, None),
    (2, "roads", ["red"], 70, None),
]


@pytest.fixture
def answered(api, towns):
    consultation = make_consultation(towns)
    areas = sections()
    for i, (where, priority, colours, age, idea) in enumerate(GIVEN):
        body = {"priority": priority, "colours": colours, "age": age, "idea": idea}
        user = get_user_model().objects.create_user(f"resident{i}")
        assert answer(api, user, consultation, body, areas[where].pk).status_code == 201
    return consultation, areas


def expected(rows, areas):
    """The same figures counted here, in Python, from what was sent."""
    per_area = {str(a.pk): [r for r in rows if r[0] == i] for i, a in enumerate(areas)}
    per_area["all"] = rows

    def priorities(chosen):
        counts = Counter(r[1] for r in chosen)
        top = counts.most_common()
        leading = top[0][0] if top and (len(top) == 1 or top[0][1] > top[1][1]) else None
        return {k: counts.get(k, 0) for k in ("water", "roads", "lights")}, leading

    def ages(chosen):
        values = [r[3] for r in chosen if r[3] is not None]
        return (statistics.mean(values), statistics.median(values)) if values else (None, None)

    return {key: (priorities(chosen), Counter(c for r in chosen for c in r[2]), ages(chosen))
            for key, chosen in per_area.items()}  # fmt: skip


def cell(question: dict, key: str) -> dict:
    return question["all"] if key == "all" else question["by_area"][key]


def test_results_per_question_and_area_match_an_independent_count(api, towns, answered):
    consultation, areas = answered
    api.force_authenticate(towns.people.pap_supervisor)  # live, before the close
    body = api.get(f"{URL}{consultation.pk}/results/").json()
    assert body["responses"] == len(GIVEN)
    assert [a["responses"] for a in body["areas"]] == [3, 3, 1]
    questions = {q["code"]: q for q in body["questions"]}
    for key, ((counts, leading), colours, (mean, median)) in expected(GIVEN, areas).items():
        priority, colour, age = (cell(questions[c], key) for c in ("priority", "colours", "age"))
        assert priority["counts"] == counts and priority["leading"] == leading, key
        assert {k: n for k, n in colour["counts"].items() if n} == colours, key
        assert age["mean"] == pytest.approx(mean, abs=1e-4), key
        assert age["median"] == pytest.approx(median, abs=1e-4), key
    texts = [t["text"] for t in questions["idea"]["texts"]]
    assert sorted(texts) == ["Plus de lampadaires", "Un marché couvert"]


def test_results_are_public_after_the_close_without_text_unless_said(api, towns, answered):
    consultation, _ = answered
    api.force_authenticate(None)
    early = api.get(f"{URL}{consultation.pk}/results/")
    assert early.status_code == 409 and early.json()["error"] == "not_published"
    Consultation.objects.filter(pk=consultation.pk).update(
        closes_at=timezone.now() - timedelta(seconds=1)
    )
    public = api.get(f"{URL}{consultation.pk}/results/").json()
    idea = next(q for q in public["questions"] if q["code"] == "idea")
    assert idea["texts"] is None and idea["all"]["answers"] == 2
    Consultation.objects.filter(pk=consultation.pk).update(public_text=True)
    idea = api.get(f"{URL}{consultation.pk}/results/").json()["questions"][3]
    assert len(idea["texts"]) == 2


def test_results_csv_has_a_row_per_question_area_and_value(api, towns, answered):
    consultation, areas = answered
    api.force_authenticate(towns.people.pap_admin)
    download = api.get(f"{URL}{consultation.pk}/results/csv/")
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    value = {(r["question"], r["area"], r["measure"], r["value_key"]): r["value"] for r in rows}
    assert value[("", areas[0].pcode, "responses", "")] == "3"
    assert value[("priority", "all", "count", "water")] == "3"
    assert value[("colours", areas[1].pcode, "count", "green")] == "2"
    assert float(value[("age", "all", "median", "")]) == statistics.median([30, 41, 25, 60, 35, 70])
    assert ("idea", "all", "answers", "") in value and not any("marché" in r["value"] for r in rows)
    api.force_authenticate(None)
    assert api.get(f"{URL}{consultation.pk}/results/csv/").status_code == 409


def test_one_answer_per_person_under_concurrent_submissions(towns):
    """Six answers of one person at the same instant, each on its own connection that
    commits: the marker's unique constraint lets exactly one through."""
    ids = {}

    def setup():
        cleanup_leftovers()
        jurisdiction = Jurisdiction.objects.create(slug="race-c", name_fr="Race", pcodes=["HT0112"],
                                                   open311_id="race-c.komin.ht")  # fmt: skip
        now = timezone.now()
        consultation = Consultation.objects.create(
            jurisdiction=jurisdiction, title_fr="R", anonymous=True,
            opens_at=now - timedelta(hours=1), closes_at=now + timedelta(hours=1),
        )  # fmt: skip
        consultation.areas.set(sections("HT0112"))
        ConsultationQuestion.objects.create(consultation=consultation, code="q", datatype="text",
                                            label_fr="Q")  # fmt: skip
        voter = get_user_model().objects.create_user("racer-c")
        ids.update(consultation=consultation.pk, voter=voter.pk, area=sections("HT0112")[0].pk)

    run_alone(setup)
    outcomes, barrier = [], threading.Barrier(6)

    def respond():
        try:
            actor = actor_for(get_user_model().objects.get(pk=ids["voter"]))
            barrier.wait()
            consultation_answer(actor=actor, consultation_id=ids["consultation"],
                                answers={"q": "oui"}, area=ids["area"])  # fmt: skip
            outcomes.append("ok")
        except AlreadyAnswered:
            outcomes.append("refused")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=respond) for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    try:
        assert sorted(outcomes) == ["ok"] + ["refused"] * 5
        count = run_alone(
            lambda: ConsultationResponse.objects.filter(consultation_id=ids["consultation"]).count()
        )
        assert count == 1
    finally:
        run_alone(cleanup_leftovers)


def cleanup_leftovers():
    Consultation.objects.filter(jurisdiction__slug="race-c").delete()
    get_user_model().objects.filter(username="racer-c").delete()
    Jurisdiction.objects.filter(slug="race-c").delete()


def run_alone(function):
    """`function` in a thread, hence on a connection of its own that commits."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result.get("value")
