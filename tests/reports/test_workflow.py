"""Every (role, from, to) transition: allowed exactly when the role table says so."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from communes.access import Actor, actor_for
from reports.errors import Forbidden, Invalid, StaleVersion
from reports.models import Report, ReportUpdate
from reports.services.workflow import report_transition
from reports.workflow import CLOSED, OPEN, TRANSITIONS, Role, Status, allowed

pytestmark = pytest.mark.django_db

PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]
# Who acts: the role held on the report, and how the actor is made.
ACTORS = [
    "anonymous",
    "citizen",
    "reporter",
    "crew",
    "other_crew",
    "supervisor",
    "planner",
    "administrator",
]
TABLE_ROLE = {
    "reporter": Role.REPORTER,
    "crew": Role.CREW,
    "supervisor": Role.SUPERVISOR,
    "administrator": Role.ADMINISTRATOR,
}


def _actor(name, people) -> tuple[Actor, str | None]:
    if name == "anonymous":
        return Actor(user=None, role=Role.ANONYMOUS), None
    if name == "reporter":
        return Actor(user=None, role=Role.ANONYMOUS), "TOKEN"
    return actor_for(people[name]), None


def _at(report: Report, status: str) -> Report:
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=status,
        resolved_at=now - timedelta(hours=1)
        if status in (Status.RESOLVED, Status.CLOSED)
        else None,
        closed_at=now if status in CLOSED else None,
        token="TOKEN",
    )
    report.refresh_from_db()
    return report


@pytest.fixture
def ticket(make_report, people):
    return make_report()  # routed to roads-pap: the team of "crew"


@pytest.mark.parametrize("who", ACTORS)
def test_each_role_may_make_exactly_the_transitions_of_its_table(ticket, people, who):
    actor, token = _actor(who, people)
    expected_role = TABLE_ROLE.get(who)
    outcomes = {}
    for source, target in PAIRS:
        report = _at(ticket, source)
        try:
            report_transition(
                report_id=report.pk,
                actor=actor,
                status=target,
                version=report.version,
                token=token,
                public_note="note",
            )
            outcomes[(source, target)] = True
        except Forbidden:
            outcomes[(source, target)] = False
        except Invalid as exc:  # allowed, but a duplicate needs its original (a merge)
            assert (target, exc.field) == (Status.DUPLICATE, "duplicate_of")
            outcomes[(source, target)] = True
    expected = {pair: bool(expected_role) and allowed(expected_role, *pair) for pair in PAIRS}
    assert outcomes == expected
    assert any(expected.values()) == (who in TABLE_ROLE)


def test_the_table_lets_citizens_and_planners_change_nothing_and_reporters_only_a_fix():
    assert Role.CITIZEN not in TRANSITIONS and Role.PLANNER not in TRANSITIONS
    assert TRANSITIONS[Role.REPORTER] == {
        (Status.RESOLVED, Status.CLOSED),
        (Status.RESOLVED, Status.REOPENED),
    }
    # Crews never close, mark duplicates or reopen a closed ticket.
    assert not {t for (_, t) in TRANSITIONS[Role.CREW]} & {Status.CLOSED, Status.DUPLICATE}


def test_a_crew_member_cannot_touch_another_teams_ticket(ticket, people):
    with pytest.raises(Forbidden):
        report_transition(
            report_id=ticket.pk,
            actor=actor_for(people["other_crew"]),
            status=Status.ACKNOWLEDGED,
            version=1,
        )


def test_reporter_may_reopen_within_the_window_but_not_after(ticket, settings):
    settings.KOMIN_REOPEN_DAYS = 14
    reporter = Actor(user=None, role=Role.ANONYMOUS)
    report = _at(ticket, Status.RESOLVED)
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - timedelta(days=15))
    with pytest.raises(Forbidden, match="within 14 days"):
        report_transition(
            report_id=report.pk,
            actor=reporter,
            status=Status.REOPENED,
            version=report.version,
            token="TOKEN",
        )
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - timedelta(days=13))
    report_transition(
        report_id=report.pk,
        actor=reporter,
        status=Status.REOPENED,
        version=report.version,
        token="TOKEN",
    )
    report.refresh_from_db()
    assert report.status == Status.REOPENED and report.resolved_at is None


def test_wrong_token_is_not_the_reporter(ticket):
    report = _at(ticket, Status.RESOLVED)
    with pytest.raises(Forbidden):
        report_transition(
            report_id=report.pk,
            actor=Actor(user=None, role=Role.ANONYMOUS),
            status=Status.CLOSED,
            version=report.version,
            token="guess",
        )


def test_a_change_is_recorded_with_actor_notes_and_times_and_bumps_the_version(ticket, people):
    supervisor = actor_for(people["supervisor"])
    update = report_transition(
        report_id=ticket.pk,
        actor=supervisor,
        status=Status.RESOLVED,
        version=1,
        public_note="Bouché le trou",
        internal_note="asphalte froid, 2 sacs",
    )
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED and ticket.version == 2
    assert ticket.resolved_at is not None and ticket.closed_at is not None
    assert (update.actor, update.actor_role) == (people["supervisor"], Role.SUPERVISOR)
    assert (update.from_status, update.to_status) == (Status.SUBMITTED, Status.RESOLVED)
    assert update.public_note == "Bouché le trou" and update.internal_note.startswith("asphalte")
    kinds = list(ticket.updates.values_list("kind", flat=True))
    assert kinds == [ReportUpdate.Kind.CREATED, ReportUpdate.Kind.TRANSITION]


def test_a_stale_version_is_refused_and_nothing_is_written(ticket, people):
    crew = actor_for(people["crew"])
    report_transition(report_id=ticket.pk, actor=crew, status=Status.ACKNOWLEDGED, version=1)
    with pytest.raises(StaleVersion) as caught:
        report_transition(report_id=ticket.pk, actor=crew, status=Status.RESOLVED, version=1)
    assert caught.value.current == 2
    ticket.refresh_from_db()
    assert ticket.status == Status.ACKNOWLEDGED and ticket.updates.count() == 2


def test_reporter_is_notified_by_email_only_after_commit(
    ticket, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_transition(
            report_id=ticket.pk,
            actor=actor_for(people["crew"]),
            status=Status.IN_PROGRESS,
            version=1,
            public_note="Nou sou plas",
        )
    assert mail.outbox == []  # nothing is sent inside the transaction
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["marie.ange@example.org"]]
    assert ticket.reference in mail.outbox[0].subject and "Nou sou plas" in mail.outbox[0].body


def test_open_and_closed_groups_cover_every_status_once():
    assert OPEN | CLOSED == set(Status.values) and not OPEN & CLOSED
