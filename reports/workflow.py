"""Report states as data: one place that the API, Open311, the frontend and the
analytics all read, with the transitions allowed to each role."""

from django.db import models


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    IN_PROGRESS = "in_progress", "In progress"
    REOPENED = "reopened", "Reopened"
    RESOLVED = "resolved", "Resolved"
    CLOSED = "closed", "Closed"
    DUPLICATE = "duplicate", "Duplicate"
    NOT_RESPONSIBLE = "not_responsible", "Not our responsibility"


# What citizens read, in the three languages of Komin.
LABELS = {
    Status.SUBMITTED: {"fr": "Signalé", "ht": "Siyale", "en": "Submitted"},
    Status.ACKNOWLEDGED: {"fr": "Pris en compte", "ht": "Resevwa", "en": "Acknowledged"},
    Status.IN_PROGRESS: {"fr": "En cours", "ht": "Ap travay sou li", "en": "In progress"},
    Status.REOPENED: {"fr": "Rouvert", "ht": "Relouvri", "en": "Reopened"},
    Status.RESOLVED: {"fr": "Réparé", "ht": "Ranje", "en": "Resolved"},
    Status.CLOSED: {"fr": "Clôturé", "ht": "Fèmen", "en": "Closed"},
    Status.DUPLICATE: {"fr": "Doublon", "ht": "Doub", "en": "Duplicate"},
    Status.NOT_RESPONSIBLE: {
        "fr": "Hors de notre compétence",
        "ht": "Se pa responsablite nou",
        "en": "Not our responsibility",
    },
}


def label(status: str, language: str = "fr") -> str:
    return LABELS[status].get(language) or LABELS[status]["fr"]


OPEN = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED})
CLOSED = frozenset({Status.RESOLVED, Status.CLOSED, Status.DUPLICATE, Status.NOT_RESPONSIBLE})
# A report counts as fixed (for time-to-fix and SLA figures) in these states.
FIXED = frozenset({Status.RESOLVED, Status.CLOSED})


def group(status: str) -> str:
    return "open" if status in OPEN else "closed"


class Role(models.TextChoices):
    """Who acts on a report. `reporter` is whoever filed it (by account or tracking token)."""

    ANONYMOUS = "anonymous", "Anonymous citizen"
    CITIZEN = "citizen", "Registered citizen"
    REPORTER = "reporter", "The reporter of this report"
    CREW = "crew", "Crew member"
    SUPERVISOR = "supervisor", "Supervisor"
    PLANNER = "planner", "Planner"
    GIS_EDITOR = "gis_editor", "GIS editor"
    ADMINISTRATOR = "administrator", "Administrator"


S = Status
_CREW = {
    (S.SUBMITTED, S.ACKNOWLEDGED),
    (S.SUBMITTED, S.IN_PROGRESS),
    (S.ACKNOWLEDGED, S.IN_PROGRESS),
    (S.REOPENED, S.ACKNOWLEDGED),
    (S.REOPENED, S.IN_PROGRESS),
    (S.ACKNOWLEDGED, S.RESOLVED),
    (S.IN_PROGRESS, S.RESOLVED),
    (S.REOPENED, S.RESOLVED),
}
_SUPERVISOR = (
    _CREW
    | {(source, target) for source in OPEN for target in (S.CLOSED, S.DUPLICATE)}
    | {(source, S.NOT_RESPONSIBLE) for source in OPEN}
    | {(S.SUBMITTED, S.RESOLVED), (S.RESOLVED, S.CLOSED)}
    | {(source, S.REOPENED) for source in CLOSED}
)

# Allowed (from, to) per role. Roles absent here (anonymous, citizen, planner, GIS editor)
# change nothing. Where a role holds (which jurisdiction, which team) is communes.access.
TRANSITIONS: dict[str, frozenset[tuple[str, str]]] = {
    # The reporter confirms a fix or reopens it within KOMIN_REOPEN_DAYS of the resolution.
    Role.REPORTER: frozenset({(S.RESOLVED, S.CLOSED), (S.RESOLVED, S.REOPENED)}),
    # Crews only act on their own team's tickets (checked by the service).
    Role.CREW: frozenset(_CREW),
    Role.SUPERVISOR: frozenset(_SUPERVISOR),
    Role.ADMINISTRATOR: frozenset(_SUPERVISOR),
}


def allowed(role: str, source: str, target: str) -> bool:
    return (source, target) in TRANSITIONS.get(role, frozenset())


def targets(role: str, source: str) -> list[str]:
    return sorted(target for (src, target) in TRANSITIONS.get(role, ()) if src == source)
