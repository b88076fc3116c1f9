"""Nothing English or internal reaches a Kreyòl or French reader: history events,
validation messages, category texts, error details and dates follow the reader's language."""

from datetime import date

import pytest
from django.utils import formats, translation

from reports.models import ReportUpdate
from reports.services.workflow import report_assign, report_transfer
from tests.reports import factories as f
from tests.reports.test_api import login

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def create(api, language: str, **data):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], **data}
    return api.post(URL, body, format="json", HTTP_ACCEPT_LANGUAGE=language)


def test_history_events_are_rendered_in_the_readers_language(
    api, cat, make_report, people, actor_of
):
    from communes.models import Jurisdiction

    report = make_report()
    supervisor = actor_of(people["administrator"])
    report_assign(report_id=report.pk, actor=supervisor, team_id=cat["teams"]["water"].pk,
                  assignee_id=None, version=None)  # fmt: skip
    other = Jurisdiction.objects.create(slug="jacmel", name_fr="Jacmel", name_ht="Jakmèl")
    report_transfer(report_id=report.pk, actor=supervisor, jurisdiction=other, version=None)
    stored = ReportUpdate.objects.filter(report=report, kind="assignment").get()
    assert (stored.event, stored.params, stored.public_note) == ("assigned", {"team": "water"}, "")
    history = f"{URL}{report.reference}/history/"
    ht = [u["event_text"] for u in api.get(history, {"lang": "ht"}).json()["updates"]]
    assert "Bay water." in ht
    assert any(t and t.startswith("Transfere soti") and t.endswith("pou Jakmèl.") for t in ht)
    fr = [u["event_text"] for u in api.get(history, HTTP_ACCEPT_LANGUAGE="fr").json()["updates"]]
    assert "Assigné à water." in fr and not any(t and "Assigned" in t for t in fr + ht)


def test_a_missing_answer_names_the_question_in_the_readers_language(api, cat):
    question = cat["pothole"].questions.get(code="size")
    question.text_ht = "Ki gwosè twou a?"
    question.save()
    response = create(api, "ht", answers={})
    body = response.json()
    assert response.status_code == 400 and "answers.size" in body["fields"]
    assert body["detail"] == "Tanpri reponn kesyon “Ki gwosè twou a” la."
    french = create(api, "fr", answers={}).json()["detail"]
    assert french == "Veuillez répondre à la question « Taille »."


def test_category_description_and_group_follow_lang(api, cat):
    pothole = cat["pothole"]
    pothole.group, pothole.group_ht = "Voirie", "Wout"
    pothole.description, pothole.description_ht = "Trou dans la chaussée.", "Twou nan wout la."
    pothole.save()
    rows = {c["code"]: c for c in api.get("/api/v1/categories/", {"lang": "ht"}).json()}
    assert (rows["pothole"]["group"], rows["pothole"]["description"]) == (
        "Wout",
        "Twou nan wout la.",
    )
    rows = {c["code"]: c for c in api.get("/api/v1/categories/", {"lang": "en"}).json()}
    assert rows["pothole"]["group"] == "Voirie"  # no English given: French, never empty


def test_api_error_details_follow_lang_over_accept_language(api, cat, people):
    login(api, people["supervisor"])
    response = api.post(f"{URL}?lang=ht", {"lon": 1}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["fields"]["category"] == ["Fòk ou ranpli chan sa a."]
    response = api.post(URL, {"lon": 1}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["fields"]["category"] == ["Ce champ est obligatoire."]
    missing = api.get(f"{URL}KOM-NOPE/", {"lang": "ht"}, HTTP_ACCEPT_LANGUAGE="en")
    assert missing.status_code == 404
    assert missing.json()["detail"] == "Pa gen siyalman KOM-NOPE."


@pytest.mark.parametrize(
    ("month", "name"), [(1, "janvye"), (7, "jiyè"), (8, "out"), (12, "desanm")]
)
def test_kreyol_dates_use_kreyol_month_names(month, name):
    with translation.override("ht"):
        assert formats.date_format(date(2026, month, 5)) == f"5 {name} 2026"
        assert (
            formats.date_format(date(2026, month, 5), "SHORT_DATE_FORMAT") == f"05/{month:02d}/2026"
        )
