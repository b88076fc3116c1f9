"""Consultations (issue 15): created and moved by the town hall's planners and
administrators only, answers checked per datatype at the door, open between two moments,
one answer per person (also under concurrent answers), anonymous answers that lead to no
account, results and their CSV against an independent count."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from participation.models import (
    Consultation,
    ConsultationAnswer,
    ConsultationResponse,
    Participant,
)
from tests.participation.consultation_helpers import (
    QUESTIONS,
    answer,
    inside,
    make_consultation,
    sections,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/participation/consultations/"


def spec(towns, **changes):
    now = timezone.now()
    body = {"jurisdiction": "pap", "title_fr": "Marché", "areas": [a.pk for a in sections()],
            "opens_at": now.isoformat(), "closes_at": (now + timedelta(days=3)).isoformat(),
            "questions": QUESTIONS[:1]}  # fmt: skip
    return {**body, "jurisdiction": "port-au-prince", **changes}


def test_town_hall_planners_and_administrators_create_consultations_of_their_town_only(api, towns):
    for person, expected in [("citizen", 403), ("delmas_planner", 403), ("pap_supervisor", 403),
                             ("pap_admin", 201), ("planner", 201)]:  # fmt: skip
        api.force_authenticate(getattr(towns.people, person))
        assert api.post(URL, spec(towns), format="json").status_code == expected, person
    delmas_area = sections("HT0112")[0].pk
    refused = api.post(URL, spec(towns, areas=[delmas_area]), format="json")
    assert refused.status_code == 400 and "HT0112-01" in refused.json()["detail"]
    made = api.post(URL, spec(towns, jurisdiction="delmas", areas=[delmas_area]), format="json")
    api.force_authenticate(towns.people.delmas_planner)
    one = f"{URL}{made.json()['id']}/"
    assert api.post(one + "close/").json()["state"] == "closed"
    opened = api.post(one + "open/", {"closes_at": "2099-01-01T00:00:00Z"}, format="json")
    assert opened.json()["state"] == "open"
    api.force_authenticate(towns.people.pap_admin)  # not their town hall's consultation
    assert api.post(one + "close/").status_code == 403
    assert api.patch(one, {"title_fr": "X"}, format="json").status_code == 403


REFUSED = [
    ({"priority": "water", "nope": 1}, "nope"),  # an unknown key
    ({"colours": ["red"]}, "priority"),  # a required question missing
    ({"priority": "bridges"}, "priority"),  # not in the list
    ({"priority": ["water"]}, "priority"),  # a single value, not a list
    ({"priority": "water", "colours": "red"}, "colours"),  # a list of keys
    ({"priority": "water", "colours": ["red", "pink"]}, "colours"),
    ({"priority": "water", "colours": ["red", "red"]}, "colours"),
    ({"priority": "water", "age": "forty"}, "age"),  # wrong type
    ({"priority": "water", "age": True}, "age"),
    ({"priority": "water", "age": 9}, "age"),  # out of range
    ({"priority": "water", "age": 121}, "age"),
    ({"priority": "water", "idea": 42}, "idea"),
    ({"priority": "water", "idea": "x" * 2001}, "idea"),
    ({"priority": "water", "where": [-72.33, 18.53]}, "where"),
    ({"priority": "water", "where": {"lon": -72.2, "lat": 19.76}}, "where"),  # Cap-Haïtien
    ({"priority": "water", "where": {"lon": 200, "lat": 18.5}}, "where"),
]


def test_answers_are_checked_per_datatype_and_name_the_question(api, towns):
    """One consultation for every case (a fixture per case would cost seconds each)."""
    consultation = make_consultation(towns)
    for answers, field in REFUSED:
        refused = answer(api, towns.people.citizen, consultation, answers, area=sections()[0].pk)
        assert refused.status_code == 400, (answers, refused.json())
        body = refused.json()
        assert f"answers.{field}" in body["fields"] and field in body["detail"], answers
    assert not Participant.objects.filter(consultation=consultation).exists()


def test_the_area_is_the_point_answers_else_the_one_picked_within_the_consultation(api, towns):
    consultation = make_consultation(towns)
    first, second, third = sections()
    placed = answer(api, towns.people.citizen, consultation,
                    {"priority": "roads", "where": inside(second)}, area=first.pk)  # fmt: skip
    assert placed.status_code == 201 and placed.json()["area"] == second.pk
    no_area = answer(api, towns.people.pap_crew, consultation, {"priority": "roads"})
    assert no_area.status_code == 400 and "area" in no_area.json()["fields"]
    delmas = sections("HT0112")[0].pk
    elsewhere = answer(api, towns.people.pap_crew, consultation, {"priority": "roads"}, delmas)
    assert elsewhere.status_code == 400 and "area" in elsewhere.json()["fields"]
    assert answer(api, towns.people.pap_crew, consultation, {"priority": "roads"},
                  third.pk).json()["area"] == third.pk  # fmt: skip


def test_answers_only_while_open_and_once_per_person(api, towns):
    later = make_consultation(towns, opened=False)
    too_early = answer(api, towns.people.citizen, later, {"priority": "water"}, sections()[0].pk)
    assert too_early.status_code == 409 and "opens at" in too_early.json()["detail"]
    consultation = make_consultation(towns)
    area = sections()[0].pk
    assert (
        answer(api, towns.people.citizen, consultation, {"priority": "water"}, area).status_code
        == 201
    )
    again = answer(api, towns.people.citizen, consultation, {"priority": "roads"}, area)
    assert again.status_code == 409 and again.json()["error"] == "already_answered"
    api.force_authenticate(None)
    anonymous = api.post(f"{URL}{consultation.pk}/responses/",
                         {"answers": {"priority": "water"}, "area": area}, format="json")  # fmt: skip
    assert anonymous.status_code in (401, 403)
    api.force_authenticate(towns.people.pap_admin)
    api.post(f"{URL}{consultation.pk}/close/")
    late = answer(api, towns.people.pap_crew, consultation, {"priority": "water"}, area)
    assert late.status_code == 409 and "closed at" in late.json()["detail"]
    assert ConsultationResponse.objects.filter(consultation=consultation).count() == 1


def test_questions_areas_and_anonymity_are_fixed_once_people_have_answered(api, towns):
    consultation = make_consultation(towns)
    answer(api, towns.people.citizen, consultation, {"priority": "water"}, sections()[0].pk)
    api.force_authenticate(towns.people.pap_admin)
    one = f"{URL}{consultation.pk}/"
    assert api.patch(one, {"anonymous": True}, format="json").status_code == 409
    assert api.patch(one, {"questions": QUESTIONS[:1]}, format="json").status_code == 409
    edited = api.patch(one, {"title_en": "Market", "description_fr": "Dites-nous"}, format="json")
    assert edited.status_code == 200 and edited.json()["description"] == "Dites-nous"


def test_anonymous_answers_lead_to_no_account(api, towns):
    consultation = make_consultation(towns, anonymous=True)
    citizen = towns.people.citizen
    area = sections()[1]
    answer(api, citizen, consultation, {"priority": "lights", "idea": "Des bancs"}, area.pk)
    response = ConsultationResponse.objects.get(consultation=consultation)
    assert response.respondent_id is None
    # No path from an answer to a person: the only user links of the models are the
    # (empty) respondent and the marker, which names no response.
    user_links = [f.name for f in ConsultationResponse._meta.get_fields()
                  if f.is_relation and f.related_model is get_user_model()]  # fmt: skip
    assert user_links == ["respondent"]
    assert not any(f.is_relation and f.related_model is get_user_model()
                   for f in ConsultationAnswer._meta.get_fields())  # fmt: skip
    assert {f.name for f in Participant._meta.get_fields()} == {"id", "consultation", "user"}
    assert Participant.objects.get(consultation=consultation).user == citizen
    api.force_authenticate(towns.people.pap_admin)
    raw = api.get(f"{URL}{consultation.pk}/answers/csv/").content.decode()
    assert citizen.username not in raw and citizen.email not in raw
    assert "Des bancs" in raw and area.pcode in raw


def test_a_named_consultation_keeps_the_account_but_exports_no_identity(api, towns):
    consultation = make_consultation(towns, anonymous=False)
    citizen = towns.people.citizen
    answer(api, citizen, consultation, {"priority": "water", "idea": "=HYPERLINK(1)"},
           sections()[0].pk)  # fmt: skip
    assert ConsultationResponse.objects.get(consultation=consultation).respondent == citizen
    api.force_authenticate(towns.people.pap_supervisor)
    raw = api.get(f"{URL}{consultation.pk}/answers/csv/")
    assert raw.status_code == 200 and raw["Content-Type"].startswith("text/csv")
    text = raw.content.decode()
    assert citizen.username not in text and citizen.email not in text
    assert "'=HYPERLINK(1)" in text  # a formula is defused for spreadsheets
    api.force_authenticate(citizen)
    assert api.get(f"{URL}{consultation.pk}/answers/csv/").status_code == 403
    api.force_authenticate(towns.people.delmas_supervisor)  # another town hall's staff
    assert api.get(f"{URL}{consultation.pk}/answers/csv/").status_code == 403


def test_areas_geojson_list_by_state_and_links_from_the_commune_page(api, client, towns):
    consultation = make_consultation(towns)
    later = make_consultation(towns, opened=False)
    areas = api.get(f"{URL}{consultation.pk}/areas/").json()
    assert sorted(f["properties"]["pcode"] for f in areas["features"]) == [
        a.pcode for a in sections()
    ]
    listed = api.get(URL, {"jurisdiction": "port-au-prince", "state": "open"}).json()["results"]
    assert [c["id"] for c in listed] == [consultation.pk]
    assert api.get(URL, {"state": "someday"}).status_code == 400
    page = client.get("/c/port-au-prince/").content.decode()
    assert f"/consultations/{consultation.pk}/" in page and f"/consultations/{later.pk}/" in page
    assert client.get(f"/consultations/{consultation.pk}/").status_code == 200
    assert client.get("/consultations/999999/").status_code == 404


def test_the_sample_consultation_is_marked_and_loaded_once(towns):
    import io

    from participation.consultations import demo

    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    sample = Consultation.objects.get(sample=True)
    assert sample.title_fr.startswith("[Exemple]") and sample.anonymous
    assert sample.responses.count() == 7 and not sample.participants.exists()
