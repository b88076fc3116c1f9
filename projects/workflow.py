"""Project states as data, like reports.workflow: one place that the API, the pages, the
OCDS export and the demo read. Who may move a project at all is `project.edit` in
communes.access; which moves exist is here."""

from django.db import models


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    TENDERING = "tendering", "Tendering"
    IN_PROGRESS = "in_progress", "In progress"
    SUSPENDED = "suspended", "Suspended"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


LABELS = {
    Status.PLANNED: {"fr": "Prévu", "ht": "Planifye", "en": "Planned"},
    Status.TENDERING: {"fr": "Appel d'offres", "ht": "Apèl dòf", "en": "Tendering"},
    Status.IN_PROGRESS: {"fr": "En cours", "ht": "Ap fèt", "en": "In progress"},
    Status.SUSPENDED: {"fr": "Suspendu", "ht": "Sispann", "en": "Suspended"},
    Status.COMPLETED: {"fr": "Terminé", "ht": "Fini", "en": "Completed"},
    Status.CANCELLED: {"fr": "Annulé", "ht": "Anile", "en": "Cancelled"},
}

S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PLANNED: frozenset({S.TENDERING, S.IN_PROGRESS, S.CANCELLED}),
    S.TENDERING: frozenset({S.PLANNED, S.IN_PROGRESS, S.CANCELLED}),
    S.IN_PROGRESS: frozenset({S.SUSPENDED, S.COMPLETED, S.CANCELLED}),
    S.SUSPENDED: frozenset({S.IN_PROGRESS, S.CANCELLED}),
    S.COMPLETED: frozenset(),
    S.CANCELLED: frozenset(),
}
FINISHED = frozenset({S.COMPLETED, S.CANCELLED})


class Sector(models.TextChoices):
    WATER = "water", "Water"
    ROADS = "roads", "Roads"
    DRAINAGE = "drainage", "Drainage"
    WASTE = "waste", "Waste"
    LIGHTING = "lighting", "Lighting"
    SCHOOLS = "schools", "Schools"
    MARKETS = "markets", "Markets"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


SECTOR_LABELS = {
    Sector.WATER: {"fr": "Eau", "ht": "Dlo", "en": "Water"},
    Sector.ROADS: {"fr": "Routes", "ht": "Wout", "en": "Roads"},
    Sector.DRAINAGE: {"fr": "Drainage", "ht": "Drenaj", "en": "Drainage"},
    Sector.WASTE: {"fr": "Déchets", "ht": "Fatra", "en": "Waste"},
    Sector.LIGHTING: {"fr": "Éclairage", "ht": "Limyè", "en": "Lighting"},
    Sector.SCHOOLS: {"fr": "Écoles", "ht": "Lekòl", "en": "Schools"},
    Sector.MARKETS: {"fr": "Marchés", "ht": "Mache", "en": "Markets"},
    Sector.HEALTH: {"fr": "Santé", "ht": "Sante", "en": "Health"},
    Sector.OTHER: {"fr": "Autre", "ht": "Lòt", "en": "Other"},
}


def label(status: str, language: str = "fr") -> str:
    return LABELS[status].get(language) or LABELS[status]["fr"]


def sector_label(sector: str, language: str = "fr") -> str:
    return SECTOR_LABELS[sector].get(language) or SECTOR_LABELS[sector]["fr"]


def allowed(source: str, target: str) -> bool:
    return target in TRANSITIONS.get(source, frozenset())


def as_data(language: str = "fr") -> dict:
    return {
        "statuses": [{"code": s.value, "label": label(s, language)} for s in Status],
        "transitions": {s: sorted(t) for s, t in TRANSITIONS.items()},
        "sectors": [{"code": s.value, "label": sector_label(s, language)} for s in Sector],
    }
