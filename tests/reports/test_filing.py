"""Filing a report in few queries, with the same answers: the reference drawn and left to
its unique constraint, the areas, jurisdiction and team in one query (place), the category
with its questions in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communes.models import Jurisdiction
from communes.selectors import jurisdiction_of_commune
from jobs.models import OutboxMessage
from reports.errors import Invalid
from reports.models import Question, Report, ReportUpdate
from reports.selectors.categories import category_for_filing
from reports.services import reports as service
from reports.services.routing import route
from tests.reports import factories as f

pytestmark = pytest.mark.django_db


def _draws(monkeypatch, references):
    """draw_reference gives these references in turn; the list of what it gave."""
    given, queue = [], list(references)

    def draw(now):
        given.append(queue.pop(0) if len(queue) > 1 else queue[0])
        return given[-1]

    monkeypatch.setattr(service, "draw_reference", draw)
    return given


def test_a_taken_reference_is_drawn_again_and_the_report_filed_once(make_report, monkeypatch):
    first = make_report()
    given = _draws(monkeypatch, [first.reference, "26-FRESH2"])
    second = make_report()
    assert given == [first.reference, "26-FRESH2"]
    assert second.reference == "26-FRESH2"
    assert Report.objects.count() == 2
    assert Report.objects.get(reference=first.reference).pk == first.pk
    # The attempt that met the taken reference left nothing behind.
    assert ReportUpdate.objects.filter(report=second).count() == 1
    assert ReportUpdate.objects.count() == 2
    updates = list(ReportUpdate.objects.values_list("pk", flat=True))
    mails = OutboxMessage.objects.filter(kind="report-update-email")
    assert sorted(mails.filter(payload__update_id__in=updates).values_list(
        "payload__update_id", flat=True)) == sorted(updates)  # fmt: skip


def test_a_reference_taken_ten_times_running_gives_up_without_writing(make_report, monkeypatch):
    first = make_report()
    reports, updates = Report.objects.count(), ReportUpdate.objects.count()
    given = _draws(monkeypatch, [first.reference])
    with pytest.raises(RuntimeError, match="free report reference"):
        make_report()
    assert len(given) == service.REFERENCE_DRAWS
    assert (Report.objects.count(), ReportUpdate.objects.count()) == (reports, updates)


def test_another_integrity_error_is_not_retried(make_report, monkeypatch):
    first = make_report()
    given = _draws(monkeypatch, ["26-OTHER2"])
    monkeypatch.setattr(service.secrets, "token_urlsafe", lambda n: first.token)
    with pytest.raises(service.IntegrityError):
        make_report()
    assert given == ["26-OTHER2"]


def test_a_submission_meeting_a_taken_reference_answers_201_with_the_new_one(
    api, cat, make_report, monkeypatch
):
    first = make_report()
    _draws(monkeypatch, [first.reference, "26-FRESH3"])
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    response = api.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["reference"] == "26-FRESH3"
    assert response["Location"] == "/api/v1/reports/26-FRESH3/"


@pytest.mark.parametrize("where", [f.PAP, f.DELMAS, f.CAP])
@pytest.mark.parametrize("category", ["pothole", "water"])
def test_place_answers_as_locate_jurisdiction_of_commune_and_route(cat, where, category):
    delmas = Jurisdiction.objects.create(
        slug="delmas", name_fr="Delmas", open311_id="delmas.komin.ht", pcodes=["HT0112"]
    )
    cat["teams"]["roads-delmas"].jurisdiction = delmas
    cat["teams"]["roads-delmas"].save()
    areas = service.locate(lon=where[0], lat=where[1])
    commune = areas.get("commune")
    jurisdiction = jurisdiction_of_commune(commune.pcode if commune else None)
    team = route(category=cat[category], jurisdiction_id=jurisdiction.pk,
                 area_ids=[a.pk for a in areas.values()])  # fmt: skip
    placed = service.place(category=cat[category], lon=where[0], lat=where[1])
    assert placed.areas == areas and list(placed.areas) == list(areas)
    assert {lvl: a.pcode for lvl, a in placed.areas.items()} == {
        lvl: a.pcode for lvl, a in areas.items()
    }
    assert placed.jurisdiction == jurisdiction
    assert placed.jurisdiction.pcodes == jurisdiction.pcodes
    assert placed.jurisdiction.name("fr") == jurisdiction.name("fr")
    assert placed.team == team
    assert (placed.team.name, placed.team.email) == (team.name, team.email)
    assert not hasattr(placed.jurisdiction, "place_areas")


def test_place_refuses_what_locate_refuses(cat):
    for lon, lat in (f.SEA, (500, 18.5)):
        with pytest.raises(Invalid) as from_locate:
            service.locate(lon=lon, lat=lat)
        with pytest.raises(Invalid) as from_place:
            service.place(category=cat["pothole"], lon=lon, lat=lat)
        assert from_place.value.args == from_locate.value.args


def test_place_makes_the_default_jurisdiction_when_there_is_none(cat):
    Jurisdiction.objects.filter(is_default=True).delete()
    placed = service.place(category=cat["pothole"], lon=f.PAP[0], lat=f.PAP[1])
    assert placed.jurisdiction.is_default and placed.jurisdiction.pk
    assert placed.team == cat["teams"]["roads-pap"]


def test_category_for_filing_gives_its_questions_as_the_orm_does(cat):
    Question.objects.create(category=cat["pothole"], code="a-first", datatype="text", order=0,
                            text_fr="Avant", variable=False)  # fmt: skip
    for code in ("pothole", "water-point-broken"):
        category, questions = category_for_filing(code)
        expected = list(category.questions.all())
        assert category == cat["pothole" if code == "pothole" else "water"]
        assert questions == expected
        for mine, theirs in zip(questions, expected, strict=True):
            for field in Question._meta.concrete_fields:
                assert getattr(mine, field.attname) == getattr(theirs, field.attname)
        assert not hasattr(category, "filing_questions")
    assert category_for_filing("no-such") == (None, [])


def test_a_question_added_by_staff_is_asked_at_the_next_submission(api, cat):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    assert api.post("/api/v1/reports/", body, format="json").status_code == 201
    Question.objects.create(category=cat["pothole"], code="lane", datatype="string",
                            required=True, order=3, text_fr="Voie")  # fmt: skip
    response = api.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 400 and "answers.lane" in response.content.decode()


def test_a_submission_answers_with_the_photos_it_wrote(api, cat):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": '{"size": "small"}',
            "photos": [f.upload(f.jpeg_with_gps()), f.upload(f.png_bytes(), "b.png", "image/png")]}  # fmt: skip
    response = api.post("/api/v1/reports/", body, format="multipart")
    assert response.status_code == 201, response.content
    report = Report.objects.get(reference=response.json()["reference"])
    stored = [p.pk for p in report.photos.order_by("created_at", "id")]
    assert [p["id"] for p in response.json()["photos"]] == stored and len(stored) == 2


def test_a_json_submission_runs_the_fewest_queries(api, cat):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    api.post("/api/v1/reports/", body, format="json")
    with CaptureQueriesContext(connection) as captured:
        response = api.post("/api/v1/reports/", body, format="json")
    assert response.status_code == 201
    sql = [q["sql"] for q in captured]
    assert not any('FROM "reports_report" WHERE "reports_report"."reference"' in s for s in sql)
    assert not any("communes_jurisdiction WHERE pcodes" in s for s in sql)
    assert not any(s.startswith('SELECT "reports_question"') for s in sql)
    # Two rate-limit counters (a table in tests), the category, two savepoints, place,
    # three inserts, the live NOTIFY, the webhook endpoints, the duplicates, the release.
    assert len(sql) <= 14, sql
