"""GET /api/v1/events/ read through the WSGI app on the real test database: who may
listen, what each reader receives, the catch-up after Last-Event-ID, the wake-up by
NOTIFY and the caps on open streams."""

import json

import pytest
from django.db import connections
from django.test import Client

from communes.access import actor_for
from live import limits
from live.signal import CHANNEL
from reports.models import ReportUpdate
from reports.services.workflow import report_transition
from tests.reports import factories as f

pytestmark = pytest.mark.django_db

URL = "/api/v1/events/"
PRIVATE = (f.CONTACT["name"], f.CONTACT["email"], f.CONTACT["phone"])


@pytest.fixture(autouse=True)
def _short_streams(settings):
    settings.KOMIN_EVENTS_MAX_SECONDS = 0  # the catch-up, then the end of the stream
    settings.KOMIN_EVENTS_HEARTBEAT_SECONDS = 5
    # Earlier tests of the suite open streams through Django's test client, which never
    # closes a response it did not read: their slots would count against these tests.
    with limits._lock:
        limits._open.clear()


_shared: dict = {}


def client_of(user) -> Client:
    """One test client per module (each new one loads the middleware again, ~2 s of
    WhiteNoise scanning static files), logged in as `user` (None: anonymous)."""
    client = _shared.setdefault("client", Client())
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


def parse(body: str) -> list[dict]:
    events = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        if "event" in fields:
            events.append(
                {"id": fields.get("id"), "event": fields["event"], **json.loads(fields["data"])}
            )
    return events


def read(client: Client, **headers) -> list[dict]:
    response = client.get(URL, headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/event-stream"
    assert "gzip" not in response.get("Content-Encoding", "")
    body = b"".join(response.streaming_content).decode()  # the test client closes it
    return parse(body)


def close(response) -> None:
    """As the server does when the client goes. Through the test client's wrapper of the
    body, which keeps Django's end-of-request hook from closing the test's connection."""
    response._iterator.close()


def references(events) -> set[str]:
    return {e["reference"] for e in events if e["event"] == "report"}


def test_strangers_are_refused_with_the_house_error(towns):
    anonymous = client_of(None).get(URL)
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "not_authenticated"
    refused = client_of(towns.people.citizen).get(URL)
    assert refused.status_code == 403 and refused.json()["error"] == "permission_denied"
    bad = client_of(towns.people.delmas_crew).get(URL, headers={"Last-Event-ID": "-3"})
    assert bad.status_code == 400 and bad.json()["error"] == "bad_last_event_id"


def test_each_reader_catches_up_on_the_tickets_they_may_see_and_no_private_field(
    towns, file_report
):
    start = ReportUpdate.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    delmas = file_report(where=f.DELMAS)  # routed to roads-delmas (Delmas)
    pap = file_report(where=f.PAP)  # roads-pap (Port-au-Prince)
    p = towns.people
    seen = {
        who: references(read(client_of(getattr(p, who)), **{"Last-Event-ID": str(start)}))
        for who in ("delmas_crew", "delmas_other_crew", "delmas_supervisor", "pap_supervisor",
                    "delmas_planner", "planner", "superuser")
    }  # fmt: skip
    assert seen["delmas_crew"] == {delmas.reference}
    assert seen["delmas_other_crew"] == set()  # another team of the same town hall
    assert seen["delmas_supervisor"] == {delmas.reference}
    assert seen["pap_supervisor"] == {pap.reference}
    assert seen["delmas_planner"] == {delmas.reference}
    assert seen["planner"] == seen["superuser"] == {delmas.reference, pap.reference}
    body = b"".join(
        client_of(p.superuser).get(URL, headers={"Last-Event-ID": str(start)}).streaming_content
    ).decode()
    assert not [word for word in PRIVATE if word in body]


def test_catch_up_sends_only_what_came_after_the_last_id_with_increasing_ids(towns, file_report):
    p = towns.people
    ticket = file_report(where=f.DELMAS)
    created = ReportUpdate.objects.filter(report=ticket).latest("pk")
    ticket.refresh_from_db()
    report_transition(
        report_id=ticket.pk,
        actor=actor_for(p.delmas_supervisor),
        status="acknowledged",
        version=ticket.version,
    )
    crew = client_of(p.delmas_crew)
    events = read(crew, **{"Last-Event-ID": str(created.pk)})
    reports = [e for e in events if e["event"] == "report"]
    # The creation is repeated only because it was recorded under a minute ago (a late
    # commit could hold a smaller id): clients drop repeats by id.
    assert [e["kind"] for e in reports if int(e["id"]) > created.pk] == ["transition"]
    assert reports[-1]["status"] == "acknowledged" and reports[-1]["reference"] == ticket.reference
    ids = [int(e["id"]) for e in events]
    assert ids == sorted(ids) and events[-1]["event"] == "bye"
    # A fresh start (no Last-Event-ID) sends no history, only where it starts from.
    fresh = read(crew)
    assert fresh[0]["event"] == "ready" and fresh[0]["last_id"] >= created.pk + 1
    assert references(fresh) == set()


def test_a_notify_wakes_the_stream_which_sends_the_new_ticket(towns, file_report, settings):
    settings.KOMIN_EVENTS_MAX_SECONDS = 10
    response = client_of(towns.people.delmas_crew).get(URL)
    chunks = iter(response.streaming_content)
    assert next(chunks).startswith(b"retry:")
    assert b"event: ready" in next(chunks)
    ticket = file_report(where=f.DELMAS)
    # Its NOTIFY goes out when the test's transaction commits, which it never does: the
    # commit is played by another connection, as another worker's would be.
    other = connections["default"].get_new_connection(
        connections["default"].get_connection_params()
    )
    other.autocommit = True
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '1')", [CHANNEL])
    other.close()
    woke = parse(next(chunks).decode())  # within the heartbeat, else a heartbeat comment
    close(response)
    assert [(e["event"], e["reference"], e["kind"]) for e in woke] == [
        ("report", ticket.reference, "created")
    ]


def test_open_streams_are_capped_per_person_and_given_back_when_closed(towns, settings):
    settings.KOMIN_EVENTS_MAX_PER_USER = 1
    crew = client_of(towns.people.delmas_crew)
    first = crew.get(URL)
    next(iter(first.streaming_content))  # (the test client's wrapper closes once started)
    second = crew.get(URL)
    assert second.status_code == 429 and second.json()["error"] == "too_many_streams"
    assert second["Retry-After"]
    other = client_of(towns.people.delmas_supervisor).get(URL)
    assert other.status_code == 200
    next(iter(other.streaming_content))
    close(other)
    close(first)
    third = client_of(towns.people.delmas_crew).get(URL)
    assert third.status_code == 200
    next(iter(third.streaming_content))
    close(third)
    assert limits.open_streams() == 0
    settings.KOMIN_EVENTS_MAX_STREAMS = 0
    assert client_of(towns.people.pap_crew).get(URL).status_code == 429
