"""The transactional outbox with jobs run inline: follower e-mails are written with the
change, sent once after it commits, kept when sending fails and sent later by the sweep."""

import pytest
from django.core import mail
from django.db import transaction

from jobs.models import OutboxMessage
from jobs.tasks import sweep
from layers.models import AdminArea
from reports.models import Subscription
from reports.services.reports import report_create
from tests.reports.factories import PAP, catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def follower(haiti):
    # Messages that other tests committed (a worker process, a live server) are not this
    # test's: removed inside its transaction, so they come back after it.
    OutboxMessage.objects.all().delete()
    world = catalogue()
    Subscription.objects.create(
        email="voisin@example.org", area=AdminArea.objects.get(pcode="HT0111"), token="t-v",
        confirmed=True,
    )  # fmt: skip
    return world


def file_report(world):
    return report_create(
        category=world["pothole"], lon=PAP[0], lat=PAP[1], answers={"size": "small"}
    ).report


def test_a_new_report_writes_one_message_sent_once_after_commit(follower, committed):
    with committed():
        report = file_report(follower)
        (message,) = OutboxMessage.objects.all()
        assert message.sent_at is None and mail.outbox == []  # nothing before the commit
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert [m.to for m in mail.outbox] == [["voisin@example.org"]]
    assert report.reference in mail.outbox[0].subject
    assert sweep()["delivered"] == 0 and len(mail.outbox) == 1


def test_a_change_that_rolls_back_leaves_no_message(follower, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        file_report(follower)
        raise RuntimeError("the request failed after the report was written")
    assert not OutboxMessage.objects.exists() and mail.outbox == []


def test_a_mail_outage_keeps_the_message_and_the_sweep_sends_it_once(settings, follower, committed):
    settings.EMAIL_BACKEND = "tests.jobs.mail_backends.DownBackend"
    settings.KOMIN_JOBS_MAX_RETRIES = 1
    with committed():
        file_report(follower)
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and "mail server down" in message.last_error
    assert message.attempts == 2  # the first try and one retry
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.KOMIN_JOBS_MAX_RETRIES = 5
    assert sweep()["delivered"] == 1
    assert sweep()["delivered"] == 0
    assert [m.to for m in mail.outbox] == [["voisin@example.org"]]
