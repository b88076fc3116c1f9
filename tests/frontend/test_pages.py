import io
import json
import re

import pytest
from django.contrib.auth import get_user_model

from reports.workflow import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(haiti):
    from communes.demo import load

    load(stdout=io.StringIO())
    return get_user_model().objects


def page_config(response) -> dict:
    html = response.content.decode()
    found = re.search(
        r'<script id="komin-config" type="application/json">(.*?)</script>', html, re.S
    )
    return json.loads(found.group(1))


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("fr", "Signaler un problème"), ("ht", "Siyale yon pwoblèm"), ("en", "Report a problem")],
)
def test_pages_speak_the_chosen_language(client, haiti, lang, expected):
    client.cookies["django_language"] = lang
    for path in ("/", "/report/", "/transparency/", "/login/"):
        html = client.get(path).content.decode()
        assert f'<html lang="{lang}">' in html, path
        assert expected in html, path


def test_switching_language_sets_the_cookie_and_returns_to_the_page(client, haiti):
    response = client.post("/i18n/setlang/", {"language": "ht", "next": "/transparency/"})
    assert response.status_code == 302 and response["Location"] == "/transparency/"
    assert "Sa k rive siyalman yo" in client.get("/transparency/").content.decode()


def test_every_status_has_a_label_and_colour_in_each_language(client, haiti):
    client.cookies["django_language"] = "ht"
    statuses = {s["code"]: s for s in page_config(client.get("/"))["statuses"]}
    assert set(statuses) == set(Status.values)
    assert statuses["resolved"]["label"] == "Rezoud"
    assert statuses["resolved"]["fixed"] and statuses["submitted"]["group"] == "open"
    assert all(re.fullmatch(r"#[0-9a-f]{6}", s["colour"]) for s in statuses.values())


def test_credits_are_on_every_map_page_in_the_page_language(client, haiti):
    from frontend.demo import load

    load(stdout=io.StringIO())
    client.cookies["django_language"] = "fr"
    credits = page_config(client.get("/"))["credits"]
    assert "Limites administratives: CNIGS / OCHA (HDX COD-AB)" in credits
    assert "Lieux: GeoNames (CC BY 4.0)" in credits


def test_staff_pages_send_visitors_to_the_login_page(client, haiti):
    for path in ("/crew/", "/crew/26-ABCDEF/", "/dashboard/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"/login/?next={path}")


def test_each_role_reaches_its_own_pages_only(client, accounts):
    expectations = {
        "citizen": {"/crew/": 403, "/dashboard/": 403},
        "crew": {"/crew/": 200, "/dashboard/": 403},
        "planner": {"/crew/": 403, "/dashboard/": 200},
        "supervisor": {"/crew/": 200, "/dashboard/": 200},
    }
    for username, pages in expectations.items():
        client.force_login(accounts.get(username=username))
        for path, status in pages.items():
            assert client.get(path).status_code == status, (username, path)


def test_login_lands_each_role_on_its_work_page(client, accounts):
    for username, landing in [("crew", "/crew/"), ("planner", "/dashboard/"), ("citizen", "/")]:
        client.logout()
        response = client.post(
            "/login/", {"username": username, "password": f"komin-{username}-demo"}
        )
        assert response.status_code == 302 and response["Location"] == landing, username


def test_wrong_password_says_so_in_the_page_language(client, accounts):
    client.cookies["django_language"] = "ht"
    response = client.post("/login/", {"username": "crew", "password": "wrong"})
    assert response.status_code == 200
    assert "Non itilizatè oswa modpas la pa bon." in response.content.decode()


def test_the_ticket_page_hands_the_role_its_allowed_moves(client, accounts):
    from reports.models import Team

    team = Team.objects.create(name="Voirie test")
    team.members.add(accounts.get(username="crew"))
    client.force_login(accounts.get(username="crew"))
    config = page_config(client.get("/crew/26-ABCDEF/"))
    assert config["workflow"]["in_progress"] == ["resolved"]
    assert config["workflow"]["closed"] == []
    assert config["teams"] == [] and config["manager"] is False
    client.force_login(accounts.get(username="supervisor"))
    config = page_config(client.get("/crew/26-ABCDEF/"))
    assert "reopened" in config["workflow"]["closed"]
    assert config["manager"] is True
    assert {"id": team.pk, "name": "Voirie test", "members": [
        {"id": accounts.get(username="crew").pk, "name": "crew"}]} in config["teams"]  # fmt: skip


def test_javascript_catalogue_serves_kreyol(client, haiti):
    client.cookies["django_language"] = "ht"
    response = client.get("/jsi18n/?lang=ht")
    assert "Mwen tou" in response.content.decode()  # "Me too"
    again = client.get("/jsi18n/?lang=ht", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_a_town_halls_pages_open_on_its_commune_and_unknown_ones_are_404(client, accounts):
    for path in ("/c/delmas/", "/c/delmas/report/", "/c/delmas/transparency/"):
        response = client.get(path)
        assert response.status_code == 200, path
        config = page_config(response)
        assert config["jurisdiction"] == {"slug": "delmas", "name": "Mairie de Delmas",
                                          "pcodes": ["HT0112"]}  # fmt: skip
        lat, lon = config["center"]
        assert 18.52 < lat < 18.58 and -72.34 < lon < -72.25 and config["zoom"] == 13
        assert 'href="/c/delmas/report/"' in response.content.decode()
    assert client.get("/c/gonaives/").status_code == 404
    assert "jurisdiction" not in page_config(client.get("/"))


def test_the_tracking_page_paints_the_reports_title_and_description_not_a_hidden_one(client, haiti):
    from django.utils.html import escape

    from reports.models import Report
    from reports.services.reports import Contact, report_create
    from tests.reports import factories as f

    pothole = f.catalogue()["pothole"]
    report = report_create(
        category=pothole, lon=f.PAP[0], lat=f.PAP[1], description="Gwo twou devan lekòl la",
        answers={"size": "large"}, contact=Contact(**f.CONTACT),
    ).report  # fmt: skip
    client.cookies["django_language"] = "ht"
    html = client.get(f"/r/{report.reference}/").content.decode()
    assert f'<h1 id="report-title">{escape(pothole.name_ht or pothole.name_fr)}</h1>' in html
    assert "Gwo twou devan lekòl la" in html
    assert all(escape(value) not in html for value in f.CONTACT.values() if value)
    Report.objects.filter(pk=report.pk).update(hidden=True)
    html = client.get(f"/r/{report.reference}/").content.decode()
    assert '<h1 id="report-title">…</h1>' in html and "Gwo twou" not in html


def test_the_tracking_page_paints_the_public_history_without_private_notes(client, haiti):
    """The history is in the page (it was its largest paint, late by an API call), and only
    what the public history API shows: no internal note, no entry kept for staff."""
    from django.utils import timezone

    from reports.models import ReportUpdate
    from reports.services.reports import Contact, report_create
    from tests.reports import factories as f

    report = report_create(
        category=f.catalogue()["pothole"], lon=f.PAP[0], lat=f.PAP[1], description="Twou",
        answers={"size": "large"}, contact=Contact(**f.CONTACT),
    ).report  # fmt: skip
    now = timezone.now()
    shown = ReportUpdate.objects.create(
        report=report, kind="transition", actor_role="crew", from_status="submitted",
        to_status="in_progress", public_note="Ekip la ap vini", internal_note="2 sacs",
        created_at=now,
    )  # fmt: skip
    ReportUpdate.objects.create(
        report=report, kind="comment", actor_role="supervisor", public=False,
        public_note="Nòt kache", created_at=now,
    )  # fmt: skip
    html = client.get(f"/r/{report.reference}/").content.decode()
    history = re.search(r'<ol id="history" class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert f'data-id="{shown.pk}"' in history and 'data-status="in_progress"' in history
    assert "<p>Ekip la ap vini</p>" in history and history.count("<li ") == 2  # created + shown
    assert "2 sacs" not in html and "Nòt kache" not in html


def test_javascript_catalogue_is_gzipped_when_the_browser_accepts_it(client, haiti):
    plain = client.get("/jsi18n/?lang=fr")
    packed = client.get("/jsi18n/?lang=fr", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert len(packed.content) < len(plain.content) / 2
