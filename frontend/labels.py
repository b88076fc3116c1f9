"""Translated labels and colours that the pages and the JavaScript share.

Report states come from `reports.workflow` (workflow as data); only their wording in
three languages and their map colour live here."""

from django.utils.translation import gettext_lazy as _

from reports.workflow import CLOSED, FIXED, OPEN, Status

STATUS_LABELS = {
    Status.SUBMITTED: _("Submitted"),
    Status.ACKNOWLEDGED: _("Acknowledged"),
    Status.IN_PROGRESS: _("In progress"),
    Status.REOPENED: _("Reopened"),
    Status.RESOLVED: _("Resolved"),
    Status.CLOSED: _("Closed"),
    Status.DUPLICATE: _("Duplicate"),
    Status.NOT_RESPONSIBLE: _("Not our responsibility"),
}
# Open states warm (red to yellow), fixed states green, the rest grey; each dark enough
# for the white badge text to meet WCAG AA (4.5:1, tests/frontend/test_status_contrast.py).
STATUS_COLOURS = {
    Status.SUBMITTED: "#dc2626",
    Status.ACKNOWLEDGED: "#c2410c",
    Status.IN_PROGRESS: "#a16207",
    Status.REOPENED: "#9f1239",
    Status.RESOLVED: "#15803d",
    Status.CLOSED: "#166534",
    Status.DUPLICATE: "#6b7280",
    Status.NOT_RESPONSIBLE: "#6b7280",
}
PRIORITY_LABELS = {1: _("Low"), 2: _("Normal"), 3: _("High"), 4: _("Urgent")}
LEVEL_LABELS = {
    "country": _("Country"),
    "departement": _("Département"),
    "arrondissement": _("Arrondissement"),
    "commune": _("Commune"),
    "section": _("Communal section"),
    "place": _("Place"),
    "street": _("Street"),
    "neighbourhood": _("Neighbourhood"),
    "landmark": _("Landmark"),
}
# Titles of the demo layers in three languages; other layers show the title they were given.
LAYER_TITLES = {"schools": _("Schools"), "water-points": _("Water points")}
# The subjects that data-set attributions start with (data/*/sources.toml).
CREDIT_SUBJECTS = {
    "Boundaries": _("Boundaries"),
    "Population": _("Population"),
    "Places": _("Places"),
    "Schools": _("Schools"),
    "Water points": _("Water points"),
}
ROLE_LABELS = {
    "anonymous": _("Visitor"),
    "citizen": _("Citizen"),
    "reporter": _("Reporter"),
    "crew": _("Crew member"),
    "supervisor": _("Supervisor"),
    "planner": _("Planner"),
    "administrator": _("Administrator"),
}


def statuses() -> list[dict]:
    return [
        {
            "code": status.value,
            "label": str(STATUS_LABELS[status]),
            "colour": STATUS_COLOURS[status],
            "group": "open" if status in OPEN else "closed",
            "fixed": status in FIXED,
        }
        for status in Status
        if status in OPEN or status in CLOSED
    ]


def as_strings(labels: dict) -> dict:
    return {str(key): str(value) for key, value in labels.items()}
