"""Confirmation e-mails limited per recipient and per client; the "stop following" link
of a notification works with a click, and with a mail client's one-click button."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from reports.models import Subscription
from reports.roles import actor_for
from reports.services.workflow import report_transition

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


def follow(api, report, email: str, address: str):
    return api.post(
        f"{URL}{report.reference}/follow/",
        {"email": email},
        format="json",
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_one_inbox_gets_few_confirmations_whoever_asks(
    api, make_report, settings, django_capture_on_commit_callbacks
):
    settings.KOMIN_RATE_EMAIL_RECIPIENT = "3/day"
    reports = [make_report(contact=False) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            follow(api, r, "victim@example.org", f"198.51.100.{i}").status_code
            for i, r in enumerate(reports)
        ]
    assert codes == [201, 201, 201, 429, 429]
    assert [m.to for m in mail.outbox] == [["victim@example.org"]] * 3
    # Nothing half-written: a refused follow left no pending subscription behind.
    assert Subscription.objects.filter(email="victim@example.org").count() == 3
    refused = follow(api, reports[4], "VICTIM@example.org", "198.51.100.9")
    assert refused.json()["detail"].startswith(
        "Too many confirmation e-mails were sent to this address. Try again in"
    )
    assert int(refused["Retry-After"]) > 0


def test_one_client_gets_few_confirmations_sent(api, make_report, settings):
    settings.KOMIN_RATE_EMAIL_CLIENT = "2/hour"
    report = make_report(contact=False)
    codes = [
        follow(api, report, f"person{i}@example.org", "198.51.100.1").status_code for i in range(3)
    ]
    assert codes == [201, 201, 429]
    area = {"email": "someone@example.org", "area": "HT0111"}
    assert (
        api.post(f"{URL}subscriptions/", area, format="json", REMOTE_ADDR="198.51.100.1")
    ).status_code == 429


@pytest.fixture
def notified(make_report, people, django_capture_on_commit_callbacks):
    """A confirmed follower and the notification they received."""
    report = make_report(contact=False)
    subscription = Subscription.objects.create(
        email="fan@example.org", report=report, token="t" * 43, confirmed=True, language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        report_transition(
            report_id=report.pk,
            actor=actor_for(people["supervisor"]),
            status="acknowledged",
            version=1,
        )
    (message,) = [m for m in mail.outbox if m.to == ["fan@example.org"]]
    return subscription, message


def test_the_stop_link_asks_then_stops_with_a_click(notified):
    subscription, message = notified
    link = re.search(r"Stop following: (\S+)", message.body).group(1)
    path = urlsplit(link).path
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    page = browser.get(path)
    assert page.status_code == 200 and "Stop receiving e-mails about" in page.content.decode()
    assert Subscription.objects.filter(pk=subscription.pk).exists()  # a GET changes nothing
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    done = browser.post(path, {"csrfmiddlewaretoken": token.group(1)})
    assert done.status_code == 200 and "You will no longer receive" in done.content.decode()
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert browser.get(path).status_code == 404


def test_a_mail_clients_one_click_unsubscribes(notified):
    """RFC 8058: the List-Unsubscribe URL takes a POST with no cookie and no CSRF token."""
    subscription, message = notified
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    one_click = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert one_click.status_code == 204
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_the_old_api_link_of_earlier_e_mails_leads_to_the_page(notified):
    subscription, _ = notified
    response = Client().get(f"{URL}subscriptions/{subscription.token}/")
    assert response.status_code == 302
    assert response["Location"] == f"/unsubscribe/{subscription.token}/"
    assert Subscription.objects.filter(pk=subscription.pk).exists()
