"""Writes of reports: creation and support ("me too")."""

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from communes.access import Actor
from communes.models import Jurisdiction
from communes.selectors import default_jurisdiction
from geoportal.sql import instance_from_row, sql_file
from layers.geometry import GeometryError, point
from layers.levels import RANK, Level
from layers.models import AdminArea, Feature
from layers.selectors.areas import LOOKUP_SQL, area_from_row, areas_containing
from reports import conf
from reports.errors import Invalid
from reports.models import Category, Question, Report, ReportPhoto, ReportUpdate, Support, Team
from reports.services import notify
from reports.services.answers import clean_answers
from reports.services.photos import CleanPhoto, photo_store, removed_on_error
from reports.services.routing import route, route_sql
from reports.workflow import OPEN

# Model field -> the name the APIs use for it.
PUBLIC_NAMES = {"reporter_email": "email", "reporter_name": "name", "reporter_phone": "phone"}
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_DRAWS = 10
# The unique constraint a drawn reference may meet (PostgreSQL's name for unique=True).
REFERENCE_CONSTRAINT = "reports_report_reference_key"
PLACE_SQL = Path(__file__).resolve().parent.parent / "sql" / "place.sql"
# place.sql as the function reports_place (reports/sql_functions.py): planned once.
PLACE_CALL = "SELECT reports_place(%(lon)s, %(lat)s, %(generation)s, %(category)s, %(levels)s)"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""


class Filed(NamedTuple):
    """A new report and the photos written with it (its answer lists them)."""

    report: Report
    photos: list[ReportPhoto]


class Place(NamedTuple):
    """Where a new report goes: its areas by level, jurisdiction and routed team."""

    areas: dict[str, AdminArea]
    jurisdiction: Jurisdiction
    team: Team | None


def draw_reference(now: datetime) -> str:
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{now:%y}-{code}"


def _reference_taken(exc: IntegrityError) -> bool:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == REFERENCE_CONSTRAINT


def _redrawn_when_taken(create):
    """The reference is drawn without asking whether it is free (a query on every
    report): the unique constraint refuses a taken one, the creation's savepoint (its
    atomic block) rolls back, and the creation runs again with a new draw."""

    @functools.wraps(create)
    def wrapper(**kwargs):
        for _ in range(REFERENCE_DRAWS):
            try:
                return create(**kwargs)
            except IntegrityError as exc:
                if not _reference_taken(exc):
                    raise
        raise RuntimeError("could not draw a free report reference")

    return wrapper


def _served(by_level: dict[str, str], lon: float, lat: float) -> None:
    served = [p for p in conf.get("KOMIN_SERVICE_DEPARTEMENTS").split(",") if p.strip()]
    if "departement" not in by_level or (served and by_level["departement"] not in served):
        raise Invalid("location", f"The point ({lon}, {lat}) is outside the service territory.")


def _checked_point(lon: float, lat: float):
    try:
        return point(lon, lat)
    except GeometryError as exc:
        raise Invalid("location", str(exc)) from None


def locate(*, lon: float, lat: float) -> dict[str, AdminArea]:
    """The areas of a point by level, refusing points outside the service territory."""
    location = _checked_point(lon, lat)
    rows = areas_containing(lon=location.x, lat=location.y)
    _served({row["level"]: row["pcode"] for row in rows}, lon, lat)
    # The rows of the current generation: a report keeps them even when boundaries change.
    # Built from the lookup's own columns; any other column loads when first read.
    return {row["level"]: area_from_row(row) for row in rows}


@functools.cache
def place_sql() -> str:
    """reports/sql/place.sql with its parts filled in: the body of the function
    reports_place (reports/sql_functions.py)."""
    return sql_file(PLACE_SQL).format(
        lookup=sql_file(LOOKUP_SQL),
        route=route_sql(jurisdiction="(SELECT id FROM jurisdiction)",
                        area_pcodes="SELECT pcode FROM areas"),
    )  # fmt: skip


def place(*, category: Category, lon: float, lat: float) -> Place:
    """locate, the jurisdiction of the commune (communes.selectors.jurisdiction_of_commune)
    and the routed team (reports.services.routing.route) in one query (reports/sql/
    place.sql), with the same answers and the same refusal of points outside the
    territory."""
    location = _checked_point(lon, lat)
    params = {
        "lon": location.x,
        "lat": location.y,
        "generation": None,  # the current one
        "category": category.pk,
        "levels": list(Level.values),
    }
    with connection.cursor() as cursor:  # a write's: the primary, never a replica
        cursor.execute(PLACE_CALL, params)
        found = cursor.fetchone()[0]
    rows = sorted(found["areas"] or [], key=lambda row: RANK[row["level"]])
    _served({row["level"]: row["pcode"] for row in rows}, lon, lat)
    areas = {row["level"]: area_from_row(row) for row in rows}
    if found["jurisdiction"] is None:  # no default jurisdiction yet: made now, routed in it
        jurisdiction = default_jurisdiction()
        team = route(category=category, jurisdiction_id=jurisdiction.pk,
                     area_ids=[a.pk for a in areas.values()])  # fmt: skip
        return Place(areas, jurisdiction, team)
    jurisdiction = instance_from_row(Jurisdiction, found["jurisdiction"], connection.alias)
    team = None
    if found["team"] is not None:
        team = instance_from_row(Team, found["team"], connection.alias)
    return Place(areas, jurisdiction, team)


@_redrawn_when_taken
@transaction.atomic
def report_create(
    *,
    category: Category,
    lon: float,
    lat: float,
    description: str = "",
    answers: dict | None = None,
    answers_required: bool = True,
    questions: list[Question] | None = None,
    photos: list[CleanPhoto] = (),
    address: str = "",
    asset_id: int | None = None,
    contact: Contact = Contact(),
    reporter=None,
    source: str = "api",
    priority: int = Report.Priority.NORMAL,
    note: str = "",
    language: str = "fr",
    media_url: str = "",
    now: datetime | None = None,
) -> Filed:
    """Photos come already cleaned (`photos.clean_photo`), so that bad files are refused
    before anything is written. `questions`: the category's, when the caller read them
    with it (reports.selectors.categories.category_for_filing), else read here."""
    now = now or timezone.now()
    if not category.active:
        raise Invalid("category", f"Category {category.code} no longer takes reports.")
    areas, jurisdiction, team = place(category=category, lon=lon, lat=lat)
    if category.jurisdiction_id not in (None, jurisdiction.pk):
        raise Invalid(
            "category",
            f"Category {category.code} is not offered in {jurisdiction.name(language)}.",
        )
    sla_hours = category.sla_hours or jurisdiction.sla_hours
    limit = conf.get("KOMIN_DESCRIPTION_MAX_CHARS")
    if len(description) > limit:
        raise Invalid("description", f"At most {limit} characters.")
    if len(photos) > conf.get("KOMIN_REPORT_MAX_PHOTOS"):
        raise Invalid("photos", f"At most {conf.get('KOMIN_REPORT_MAX_PHOTOS')} photos.")
    report = Report(
        reference=draw_reference(now),
        token=secrets.token_urlsafe(32),
        category=category,
        location=point(lon, lat),
        address=address.strip()[:300],
        description=description.strip(),
        answers=clean_answers(category, answers, required=answers_required, questions=questions),
        priority=priority,
        section=areas.get("section"),
        commune=areas.get("commune"),
        departement=areas.get("departement"),
        asset=_asset(category, asset_id),
        jurisdiction=jurisdiction,
        team=team,
        reporter=reporter if getattr(reporter, "is_authenticated", False) else None,
        reporter_name=contact.name.strip()[:200],
        reporter_email=contact.email.strip(),
        reporter_phone=contact.phone.strip()[:50],
        source=source,
        media_url=media_url.strip(),
        language=language if language in ("fr", "ht", "en") else "fr",
        created_at=now,
        expected_at=now + timedelta(hours=sla_hours) if sla_hours else None,
    )
    try:
        # Fields only: reference and token are drawn here (a taken reference is refused by
        # its unique constraint: drawn again), status and priority are set by code, and
        # the database enforces its unique and check constraints anyway; validating them
        # here cost six queries.
        report.full_clean(
            exclude=["category", "section", "commune", "departement", "team", "jurisdiction"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise Invalid(PUBLIC_NAMES.get(field, field), " ".join(messages)) from None
    report.save()
    with removed_on_error() as written:
        for photo in photos:
            written.append(photo_store(report=report, photo=photo))
        update = ReportUpdate.objects.create(
            report=report,
            kind=ReportUpdate.Kind.CREATED,
            actor=report.reporter,
            actor_role="reporter",
            to_status=report.status,
            public_note="",
            internal_note="\n".join(
                filter(
                    None,
                    [f"routed to {report.team.name}" if report.team else "no routing rule", note],
                )
            ),
            created_at=now,
        )
        notify.schedule(update)
        notify.announce(update)
    return Filed(report, written)


def _asset(category: Category, asset_id: int | None) -> Feature | None:
    if asset_id is None:
        return None
    asset = Feature.objects.filter(pk=asset_id).first()
    if asset is None or category.layer_id is None or asset.layer_id != category.layer_id:
        raise Invalid("asset", f"Asset {asset_id} is not a feature of this category's layer.")
    return asset


def fingerprint(*, user=None, email: str = "", client: str = "") -> str:
    if getattr(user, "is_authenticated", False):
        raw = f"user:{user.pk}"
    elif email:
        raw = f"email:{email.strip().lower()}"
    else:
        raw = f"client:{client}"
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def report_support(*, report: Report, fingerprint: str) -> tuple[Report, bool]:
    """Adds one "me too" per person; returns the report and whether it counted."""
    if report.hidden or report.status not in OPEN:
        raise Invalid("report", f"Report {report.reference} is not open; it cannot be supported.")
    try:
        with transaction.atomic():
            Support.objects.create(report=report, fingerprint=fingerprint)
    except IntegrityError:
        return report, False
    Report.objects.filter(pk=report.pk).update(support_count=F("support_count") + 1)
    report.refresh_from_db(fields=["support_count"])
    return report, True


def actor_label(actor: Actor) -> str:
    return actor.label or actor.role
