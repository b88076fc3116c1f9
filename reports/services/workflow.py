"""Every state change of a report goes through here: the workflow is checked against the
role table in `reports.workflow`, the change is recorded as an update, the version is
bumped (optimistic concurrency) and notifications are scheduled after commit."""

import secrets
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from communes.access import Actor, can, manager_role, roles_on
from communes.models import Jurisdiction
from reports import conf
from reports.errors import Forbidden, Invalid, NotFound, StaleVersion
from reports.models import Report, ReportPhoto, ReportUpdate, Subscription, Team
from reports.services import notify
from reports.services.photos import CleanPhoto, photo_store, removed_on_error
from reports.workflow import CLOSED, FIXED, OPEN, Role, Status, allowed


def _locked(report_id: int, version: int | None) -> Report:
    report = Report.objects.select_for_update().filter(pk=report_id).first()
    if report is None:
        raise NotFound(f"No report {report_id}.")
    if version is not None and version != report.version:
        raise StaleVersion(version, report.version)
    return report


def _record(report: Report, actor: Actor, role: str, now: datetime, **fields) -> ReportUpdate:
    update = ReportUpdate.objects.create(
        report=report, actor=actor.user, actor_role=role, created_at=now, **fields
    )
    notify.announce(update)
    return update


def _bump(report: Report, now: datetime, fields: list[str]) -> None:
    report.version += 1
    report.updated_at = now
    report.save(update_fields=[*fields, "version", "updated_at"])


def transition_role(roles: set[str], report: Report, target: str, now: datetime) -> str | None:
    """The role that allows this change, or None."""
    for role in sorted(roles, key=lambda r: r != Role.REPORTER):
        if not allowed(role, report.status, target):
            continue
        if role == Role.REPORTER:
            window = timedelta(days=conf.get("KOMIN_REOPEN_DAYS"))
            if report.resolved_at is None or now - report.resolved_at > window:
                continue
        return role
    return None


@transaction.atomic
def report_transition(
    *,
    report_id: int,
    actor: Actor,
    status: str | None,
    version: int | None,
    public_note: str = "",
    internal_note: str = "",
    photo: CleanPhoto | None = None,
    token: str | None = None,
    now: datetime | None = None,
) -> ReportUpdate:
    """Changes the status (or, with status=None, adds a comment). `version` None means
    "whatever is current" and is only for callers that cannot know it (Open311 updates);
    the row lock still serialises concurrent writers."""
    now = now or timezone.now()
    report = _locked(report_id, version)
    roles = roles_on(actor, report, token=token)
    if status is None:
        role = _comment_role(roles)
        if not (public_note or internal_note or photo):
            raise Invalid("public_note", "A comment needs a note or a photo.")
    else:
        if status not in Status.values:
            raise Invalid("status", f"{status!r} is not one of {', '.join(Status.values)}.")
        if status == report.status:
            raise Invalid("status", f"Report {report.reference} is already {status}.")
        role = transition_role(roles, report, status, now)
        if role is None:
            raise Forbidden(_refusal(roles, report, status))
    if role == Role.REPORTER:
        internal_note = ""  # only staff write internal notes
    with removed_on_error() as written:
        stored = photo_store(report=report, photo=photo) if photo else None
        written.extend([stored] if stored else [])
        update = _record(
            report,
            actor,
            role,
            now,
            kind=ReportUpdate.Kind.TRANSITION if status else ReportUpdate.Kind.COMMENT,
            from_status=report.status,
            to_status=status or report.status,
            public_note=public_note.strip(),
            internal_note=internal_note.strip(),
            photo=stored,
        )
        if status:
            _apply_status(report, status, now)
        _bump(report, now, ["status", "resolved_at", "closed_at"])
        notify.schedule(update)
    return update


def _comment_role(roles: set[str]) -> str:
    for role in (Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CREW, Role.REPORTER):
        if role in roles:
            return role
    raise Forbidden("Only staff of the report's team, supervisors or its reporter may comment.")


def _refusal(roles: set[str], report: Report, target: str) -> str:
    names = ", ".join(sorted(roles))
    message = (
        f"As {names}, you may not move report {report.reference} from {report.status} to {target}."
    )
    if Role.REPORTER in roles and report.status == Status.RESOLVED:
        message += f" The reporter may confirm or reopen within {conf.get('KOMIN_REOPEN_DAYS')} days of the fix."
    return message


def _apply_status(report: Report, status: str, now: datetime) -> None:
    report.status = status
    if status in OPEN:
        report.resolved_at = report.closed_at = None
        return
    if status in FIXED and report.resolved_at is None:
        report.resolved_at = now
    if status in CLOSED:
        report.closed_at = now


@transaction.atomic
def report_assign(
    *,
    report_id: int,
    actor: Actor,
    team_id: int | None,
    assignee_id: int | None,
    version: int | None,
    note: str = "",
    priority: int | None = None,
    now: datetime | None = None,
) -> ReportUpdate:
    """Supervisors send a ticket to any team and member and set its priority; a crew
    member may take a ticket of their own team (assign it to themselves)."""
    now = now or timezone.now()
    report = _locked(report_id, version)
    manages = can(actor, "report.manage", report)
    if priority is not None:
        if not manages:
            raise Forbidden(
                "Only supervisors and administrators of the report's jurisdiction set the priority."
            )
        if priority not in Report.Priority.values:
            raise Invalid("priority", f"{priority} is not one of {Report.Priority.values}.")
        report.priority = priority
    team = Team.objects.filter(pk=team_id).first() if team_id else report.team
    if team_id and team is None:
        raise Invalid("team", f"No team {team_id}.")
    if team_id and team.jurisdiction_id not in (None, report.jurisdiction_id):
        raise Invalid(
            "team",
            f"{team.name} works for another jurisdiction; transfer the report there first.",
        )
    assignee = get_user_model().objects.filter(pk=assignee_id).first() if assignee_id else None
    if assignee_id and assignee is None:
        raise Invalid("assignee", f"No user {assignee_id}.")
    if assignee and (team is None or not team.members.filter(pk=assignee.pk).exists()):
        raise Invalid("assignee", f"{assignee.get_username()} is not a member of that team.")
    if not manages:
        takes_own = (
            Role.CREW in roles_on(actor, report)
            and team == report.team
            and assignee is not None
            and assignee.pk == actor.user_id
        )
        if not takes_own:
            raise Forbidden("Only supervisors reassign; a crew member may only take a ticket.")
    report.team, report.assignee = team, assignee
    update = _record(
        report,
        actor,
        manager_role(actor, report) or Role.CREW,
        now,
        kind=ReportUpdate.Kind.ASSIGNMENT,
        from_status=report.status,
        to_status=report.status,
        public_note=f"Assigned to {team.name}." if team else "Unassigned.",
        internal_note="\n".join(
            filter(
                None,
                [
                    f"assignee: {assignee.get_username()}" if assignee else "",
                    f"priority: {report.get_priority_display()}" if priority else "",
                    note,
                ],
            )
        ),
    )
    _bump(report, now, ["team", "assignee", "priority"])
    return update


@transaction.atomic
def report_merge(
    *, report_id: int, into_id: int, actor: Actor, version: int | None, now=None
) -> ReportUpdate:
    """Marks a report a duplicate of another: its supports and followers move over."""
    now = now or timezone.now()
    if report_id == into_id:
        raise Invalid("into", "A report cannot be merged into itself.")
    report = _locked(report_id, version)
    role = manager_role(actor, report)
    if role is None:
        raise Forbidden(
            "Only supervisors and administrators of the report's jurisdiction merge duplicates."
        )
    target = Report.objects.select_for_update().filter(pk=into_id).first()
    if target is None:
        raise Invalid("into", f"No report {into_id}.")
    if not can(actor, "report.manage", target):
        raise Forbidden(f"You may not manage report {target.reference} (another jurisdiction).")
    if target.status == Status.DUPLICATE or target.hidden:
        raise Invalid("into", f"Report {target.reference} is itself a duplicate or hidden.")
    if not allowed(role, report.status, Status.DUPLICATE):
        raise Forbidden(f"Report {report.reference} is {report.status}; it cannot be merged.")
    update = _record(
        report,
        actor,
        role,
        now,
        kind=ReportUpdate.Kind.MERGE,
        from_status=report.status,
        to_status=Status.DUPLICATE,
        public_note=f"Duplicate of {target.reference}.",
    )
    _apply_status(report, Status.DUPLICATE, now)
    report.duplicate_of = target
    _bump(report, now, ["status", "resolved_at", "closed_at", "duplicate_of"])
    target.support_count += report.support_count + 1
    for subscription in report.subscriptions.all():
        Subscription.objects.get_or_create(
            email=subscription.email,
            report=target,
            defaults={"token": _token(), "confirmed": subscription.confirmed},
        )
    _record(
        target,
        actor,
        role,
        now,
        kind=ReportUpdate.Kind.MERGE,
        from_status=target.status,
        to_status=target.status,
        public_note=f"{report.reference} merged into this report.",
    )
    _bump(target, now, ["support_count"])
    notify.schedule(update)
    return update


def _token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def report_moderate(
    *, report_id: int, actor: Actor, hidden: bool, reason: str, photo_id: int | None = None
) -> ReportUpdate:
    """Hides (or shows again) a report or one of its photos, with a recorded reason."""
    if hidden and not reason.strip():
        raise Invalid("reason", "Say why it is hidden.")
    now = timezone.now()
    report = _locked(report_id, None)
    role = manager_role(actor, report)
    if role is None:
        raise Forbidden(
            "Only supervisors and administrators of the report's jurisdiction moderate."
        )
    if photo_id is not None:
        photo = ReportPhoto.objects.filter(pk=photo_id, report=report).first()
        if photo is None:
            raise NotFound(f"Report {report.reference} has no photo {photo_id}.")
        photo.hidden, photo.hidden_reason = hidden, reason.strip()
        photo.save(update_fields=["hidden", "hidden_reason"])
        what = f"photo {photo_id}"
    else:
        report.hidden, report.hidden_reason = hidden, reason.strip()
        what = "report"
    update = _record(
        report,
        actor,
        role,
        now,
        kind=ReportUpdate.Kind.MODERATION,
        from_status=report.status,
        to_status=report.status,
        internal_note=f"{what} {'hidden' if hidden else 'shown'}: {reason.strip()}",
        public=False,
    )
    _bump(report, now, ["hidden", "hidden_reason"])
    return update


@transaction.atomic
def report_transfer(
    *,
    report_id: int,
    actor: Actor,
    jurisdiction: Jurisdiction,
    version: int | None,
    note: str = "",
    now: datetime | None = None,
) -> ReportUpdate:
    """Sends a report to another jurisdiction (a point just across a border, a problem that
    is the neighbour's): a supervisor of the report's jurisdiction gives it away; it leaves
    its team and assignee, and goes to the team the new jurisdiction's rules choose."""
    from reports.services.routing import route

    now = now or timezone.now()
    report = _locked(report_id, version)
    role = manager_role(actor, report)
    if role is None:
        raise Forbidden(
            "Only supervisors and administrators of the report's jurisdiction transfer it."
        )
    if jurisdiction.pk == report.jurisdiction_id:
        raise Invalid("jurisdiction", f"Report {report.reference} is already in {jurisdiction}.")
    if report.category.jurisdiction_id not in (None, jurisdiction.pk):
        raise Invalid(
            "jurisdiction",
            f"{jurisdiction} does not offer {report.category.code}, a local category here.",
        )
    previous = report.jurisdiction
    area_ids = [pk for pk in (report.section_id, report.commune_id, report.departement_id) if pk]
    report.jurisdiction = jurisdiction
    report.team = route(
        category=report.category, jurisdiction_id=jurisdiction.pk, area_ids=area_ids
    )
    report.assignee = None
    update = _record(
        report,
        actor,
        role,
        now,
        kind=ReportUpdate.Kind.TRANSFER,
        from_status=report.status,
        to_status=report.status,
        public_note=f"Transferred from {previous.name_fr} to {jurisdiction.name_fr}.",
        internal_note=note.strip(),
    )
    _bump(report, now, ["jurisdiction", "team", "assignee"])
    return update
