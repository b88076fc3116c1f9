"""Writes of reports: creation and support ("me too")."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from communes.access import Actor
from communes.selectors import jurisdiction_of_commune
from geoportal.db_router import replica_alias
from layers.geometry import GeometryError, point
from layers.models import AdminArea, Feature
from layers.selectors.areas import areas_containing
from reports import conf
from reports.errors import Invalid
from reports.models import Category, Report, ReportUpdate, Support
from reports.services import notify
from reports.services.answers import clean_answers
from reports.services.photos import CleanPhoto, photo_store, removed_on_error
from reports.services.routing import route
from reports.workflow import OPEN

# Model field -> the name the APIs use for it.
PUBLIC_NAMES = {"reporter_email": "email", "reporter_name": "name", "reporter_phone": "phone"}
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Contact:
    name: str = ""
    email: str = ""
    phone: str = ""


def new_reference(now: datetime) -> str:
    for _ in range(10):
        code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        reference = f"{now:%y}-{code}"
        if not Report.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("could not draw a free report reference")


def locate(*, lon: float, lat: float) -> dict[str, AdminArea]:
    """The areas of a point by level, refusing points outside the service territory."""
    try:
        location = point(lon, lat)
    except GeometryError as exc:
        raise Invalid("location", str(exc)) from None
    rows = areas_containing(lon=location.x, lat=location.y)
    by_level = {row["level"]: row["pcode"] for row in rows}
    served = [p for p in conf.get("KOMIN_SERVICE_DEPARTEMENTS").split(",") if p.strip()]
    if "departement" not in by_level or (served and by_level["departement"] not in served):
        raise Invalid("location", f"The point ({lon}, {lat}) is outside the service territory.")
    # The rows of the current generation: a report keeps them even when boundaries change.
    # Built from the lookup's own columns; any other column loads when first read.
    return {row["level"]: _area_from(row) for row in rows}


def _area_from(row: dict) -> AdminArea:
    fields = [f.attname for f in AdminArea._meta.concrete_fields if f.attname in row]
    return AdminArea.from_db(
        replica_alias() or DEFAULT_DB_ALIAS, fields, [row[name] for name in fields]
    )


@transaction.atomic
def report_create(
    *,
    category: Category,
    lon: float,
    lat: float,
    description: str = "",
    answers: dict | None = None,
    answers_required: bool = True,
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
) -> Report:
    """Photos come already cleaned (`photos.clean_photo`), so that bad files are refused
    before anything is written."""
    now = now or timezone.now()
    if not category.active:
        raise Invalid("category", f"Category {category.code} no longer takes reports.")
    areas = locate(lon=lon, lat=lat)
    commune = areas.get("commune")
    jurisdiction = jurisdiction_of_commune(commune.pcode if commune else None)
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
        reference=new_reference(now),
        token=secrets.token_urlsafe(32),
        category=category,
        location=point(lon, lat),
        address=address.strip()[:300],
        description=description.strip(),
        answers=clean_answers(category, answers, required=answers_required),
        priority=priority,
        section=areas.get("section"),
        commune=areas.get("commune"),
        departement=areas.get("departement"),
        asset=_asset(category, asset_id),
        jurisdiction=jurisdiction,
        team=route(
            category=category,
            jurisdiction_id=jurisdiction.pk,
            area_ids=[a.pk for a in areas.values()],
        ),
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
        # Fields only: reference and token are drawn here (new_reference checks the
        # reference), status and priority are set by code, and the database enforces its
        # unique and check constraints anyway; validating them here cost six queries.
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
        _known_photos(report, written)
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
    return report


def _known_photos(report: Report, written: list) -> None:
    """A new report's photos are the ones just written: its answer lists them without
    asking the database (as prefetch_related would have stored them)."""
    photos = report.photos.order_by("created_at", "id")
    photos._result_cache = list(written)
    photos._prefetch_done = True
    report._prefetched_objects_cache = {"photos": photos}


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
