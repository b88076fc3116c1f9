"""Routing on arrival, reassignment, duplicates, support, merge, moderation, subscriptions."""

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from communes.access import actor_for
from reports.errors import Forbidden, Invalid
from reports.models import Report, ReportUpdate, Subscription
from reports.services.workflow import report_assign, report_merge
from reports.workflow import Status
from tests.reports import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def login(api, user):
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return api


@pytest.mark.parametrize(
    ("category", "where", "team"),
    [
        ("pothole", f.PAP, "roads-pap"),  # category x département
        ("pothole", f.DELMAS, "roads-delmas"),  # category x commune beats category x département
        ("pothole", f.CAP, "cap"),  # a category rule elsewhere; the area rule of Nord applies
        ("water", f.CAP, "water"),  # category (anywhere) beats area only
    ],
)
def test_a_report_is_routed_on_arrival_by_the_most_specific_rule(
    make_report, category, where, team
):
    assert make_report(category=category, where=where).team.name == team


def test_without_a_matching_rule_the_fallback_team_takes_it(make_report, cat):
    cat["teams"]["triage"]  # the fallback rule (no category, no area)
    from reports.models import RoutingRule

    RoutingRule.objects.filter(area__pcode="HT03").delete()
    assert make_report(category="pothole", where=f.CAP).team.name == "triage"


def test_supervisor_reassigns_crew_may_only_take_their_own_ticket(make_report, people, cat):
    report = make_report()
    water = cat["teams"]["water"]
    with pytest.raises(Forbidden):
        report_assign(
            report_id=report.pk,
            actor=actor_for(people["crew"]),
            team_id=water.pk,
            assignee_id=None,
            version=1,
        )
    update = report_assign(
        report_id=report.pk,
        actor=actor_for(people["crew"]),
        team_id=None,
        assignee_id=people["crew"].pk,
        version=1,
    )
    assert update.kind == ReportUpdate.Kind.ASSIGNMENT
    with pytest.raises(Invalid, match="not a member"):
        report_assign(
            report_id=report.pk,
            actor=actor_for(people["supervisor"]),
            team_id=water.pk,
            assignee_id=people["crew"].pk,
            version=2,
        )
    report_assign(
        report_id=report.pk,
        actor=actor_for(people["supervisor"]),
        team_id=water.pk,
        assignee_id=people["other_crew"].pk,
        version=2,
    )
    report.refresh_from_db()
    assert (report.team, report.assignee, report.version) == (water, people["other_crew"], 3)


def test_submission_offers_open_reports_of_the_category_within_the_radius(api, cat, make_report):
    near = make_report(where=(f.PAP[0] + 0.0002, f.PAP[1]))  # ~21 m east
    far = make_report(where=(f.PAP[0] + 0.001, f.PAP[1]))  # ~105 m
    closed = make_report(where=f.PAP)
    Report.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    make_report(category="water", where=f.PAP)  # other category
    nearby = api.get(f"{URL}nearby/", {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1]})
    assert [r["reference"] for r in nearby.json()["reports"]] == [near.reference]
    created = api.post(
        URL,
        {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}},
        format="json",
    )
    assert [r["reference"] for r in created.json()["possible_duplicates"]] == [near.reference]
    assert far.reference not in created.content.decode()


def test_me_too_counts_once_per_person(api, cat, make_report, people):
    report = make_report()
    url = f"{URL}{report.reference}/support/"
    first = api.post(url, {}, format="json")
    assert first.status_code == 201 and first.json()["support_count"] == 1
    assert api.post(url, {}, format="json").json() == {
        "reference": report.reference,
        "support_count": 1,
        "counted": False,
    }
    assert api.post(url, {"email": "x@example.org"}, format="json").json()["support_count"] == 2
    login(api, people["citizen"])
    assert api.post(url, {}, format="json").json()["support_count"] == 3
    Report.objects.filter(pk=report.pk).update(status=Status.CLOSED)
    assert api.post(url, {"email": "y@example.org"}, format="json").status_code == 400


def test_supervisor_merges_a_duplicate_supports_and_followers_move(cat, make_report, people):
    keep, dup = make_report(), make_report()
    Report.objects.filter(pk=dup.pk).update(support_count=2)
    Subscription.objects.create(email="fan@example.org", report=dup, token="t1", confirmed=True)
    with pytest.raises(Forbidden):
        report_merge(report_id=dup.pk, into_id=keep.pk, actor=actor_for(people["crew"]), version=1)
    report_merge(
        report_id=dup.pk, into_id=keep.pk, actor=actor_for(people["supervisor"]), version=1
    )
    dup.refresh_from_db()
    keep.refresh_from_db()
    assert (dup.status, dup.duplicate_of) == (Status.DUPLICATE, keep)
    assert keep.support_count == 3
    assert keep.subscriptions.filter(email="fan@example.org", confirmed=True).exists()
    with pytest.raises(Invalid):
        report_merge(
            report_id=keep.pk,
            into_id=dup.pk,
            actor=actor_for(people["supervisor"]),
            version=keep.version,
        )


def test_moderation_hides_with_a_recorded_reason(api, cat, make_report, people):
    report = make_report()
    login(api, people["crew"])
    assert (
        api.post(
            f"{URL}{report.reference}/moderate/", {"hidden": True, "reason": "x"}, format="json"
        ).status_code
        == 403
    )
    login(api, people["supervisor"])
    assert (
        api.post(f"{URL}{report.reference}/moderate/", {"hidden": True}, format="json").status_code
        == 400
    )
    ok = api.post(
        f"{URL}{report.reference}/moderate/", {"hidden": True, "reason": "insulte"}, format="json"
    )
    assert ok.status_code == 200
    update = report.updates.get(kind=ReportUpdate.Kind.MODERATION)
    assert (
        not update.public
        and "insulte" in update.internal_note
        and update.actor == people["supervisor"]
    )
    api.credentials()
    assert api.get(f"{URL}{report.reference}/").status_code == 404
    assert report.reference not in api.get(URL).content.decode()


def test_followers_confirm_their_address_then_hear_of_changes(
    api, cat, make_report, people, django_capture_on_commit_callbacks
):
    report = make_report(contact=False)
    follow = f"{URL}{report.reference}/follow/"
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(follow, {"email": "Fan@Example.org"}, format="json").status_code == 201
        area = {"email": "mairie@example.org", "area": "HT0111"}
        assert api.post(f"{URL}subscriptions/", area, format="json").status_code == 201
    bad_area = {"email": "m@example.org", "area": "XX"}
    assert api.post(f"{URL}subscriptions/", bad_area, format="json").status_code == 400
    # One confirmation message each, and nothing else until they confirm.
    assert sorted(m.to[0] for m in mail.outbox) == ["fan@example.org", "mairie@example.org"]
    assert all("Confirm" in m.subject for m in mail.outbox)
    fan = Subscription.objects.get(email="fan@example.org")
    assert f"/subscriptions/{fan.token}/confirm/" in mail.outbox[0].body
    mail.outbox.clear()
    crew = login(api.__class__(), people["crew"])
    transition = f"{URL}{report.reference}/transition/"
    with django_capture_on_commit_callbacks(execute=True):
        crew.post(transition, {"status": "acknowledged", "version": 1}, format="json")
    assert mail.outbox == []
    for sub in Subscription.objects.all():
        assert api.get(f"{URL}subscriptions/{sub.token}/confirm/").json()["confirmed"] is True
    with django_capture_on_commit_callbacks(execute=True):
        crew.post(transition, {"status": "in_progress", "version": 2}, format="json")
    assert sorted(m.to[0] for m in mail.outbox) == ["fan@example.org", "mairie@example.org"]
    assert fan.token in next(m.body for m in mail.outbox if m.to == ["fan@example.org"])
    assert api.delete(f"{URL}subscriptions/{fan.token}/").status_code == 204
    assert api.delete(f"{URL}subscriptions/{fan.token}/").status_code == 404
    assert api.get(f"{URL}subscriptions/{fan.token}/confirm/").status_code == 404


def test_an_account_following_with_its_own_address_needs_no_confirmation(
    api, cat, make_report, people, django_capture_on_commit_callbacks
):
    report = make_report(contact=False)
    login(api, people["citizen"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"{URL}{report.reference}/follow/", {"email": "citizen@example.org"}, format="json"
        )
    assert response.status_code == 201, response.content
    assert response.json()["confirmed"] is True and mail.outbox == []


def test_a_team_with_an_email_hears_of_each_new_ticket(
    cat, make_report, django_capture_on_commit_callbacks
):
    team = cat["teams"]["roads-pap"]
    team.email = "voirie@example.org"
    team.save()
    with django_capture_on_commit_callbacks(execute=True):
        report = make_report()
    assert [m.to for m in mail.outbox] == [["voirie@example.org"]]
    assert report.reference in mail.outbox[0].subject
    assert f.CONTACT["email"] not in mail.outbox[0].body


def test_nearest_assets_of_the_category_layer_are_offered_and_checked(api, cat):
    from django.contrib.gis.geos import Point

    from layers.models import Feature, Layer

    points = Layer.objects.create(slug="water-points-test", title="Points d'eau")
    other = Layer.objects.create(slug="schools-test", title="Écoles")
    near = Feature.objects.create(
        layer=points, geom=Point(f.PAP[0] + 0.0003, f.PAP[1], srid=4326), external_id="K1"
    )
    Feature.objects.create(
        layer=points, geom=Point(f.PAP[0] + 0.01, f.PAP[1], srid=4326), external_id="K2"
    )
    school = Feature.objects.create(layer=other, geom=Point(*f.PAP, srid=4326), external_id="S1")
    water = cat["water"]
    water.layer = points
    water.save()
    body = api.get(
        f"{URL}nearby/", {"category": water.code, "lon": f.PAP[0], "lat": f.PAP[1]}
    ).json()
    assert [a["external_id"] for a in body["assets"]] == ["K1", "K2"]
    assert 25 < body["assets"][0]["distance_m"] < 40
    base = {"category": water.code, "lon": f.PAP[0], "lat": f.PAP[1]}
    assert api.post(URL, {**base, "asset": school.pk}, format="json").status_code == 400
    created = api.post(URL, {**base, "asset": near.pk}, format="json")
    assert created.status_code == 201 and created.json()["asset"] == near.pk


def test_supervisors_set_the_priority_over_http_crews_do_not(api, cat, make_report, people):
    report = make_report()
    url = f"{URL}{report.reference}/assign/"
    crew = login(api.__class__(), people["crew"])
    assert crew.post(url, {"priority": 4, "version": 1}, format="json").status_code == 403
    boss = login(api, people["supervisor"])
    assert boss.post(url, {"priority": 9, "version": 1}, format="json").status_code == 400
    done = boss.post(url, {"priority": 4, "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["priority"] == 4 and done["ETag"] == '"2"'
    assert "priority: Urgent" in report.updates.last().internal_note


def test_notifications_are_written_in_the_language_of_the_report(
    api, cat, people, django_capture_on_commit_callbacks
):
    body = {"category": "pothole", "lon": f.PAP[0], "lat": f.PAP[1], "answers": {"size": "small"}}
    created = api.post(f"{URL}?lang=ht", {**body, "email": "ti.jan@example.org"}, format="json")
    reference = created.json()["reference"]
    with django_capture_on_commit_callbacks(execute=True):
        login(api, people["crew"]).post(
            f"{URL}{reference}/transition/", {"status": "in_progress", "version": 1}, format="json"
        )
    message = mail.outbox[-1]
    assert message.to == ["ti.jan@example.org"]
    assert "Twou nan wout" in message.body and "Ap travay sou li" in message.body
