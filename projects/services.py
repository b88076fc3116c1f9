"""Every write of a project goes through here: the person's right (`project.edit` in the
project's jurisdiction, communes.access) is checked, the geometry is checked at the door,
the sections it touches are found by PostGIS, and each write is one transaction."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from communes.access import Actor, can
from communes.models import Jurisdiction
from geoportal.sql import fetch_dicts, sql_file
from layers.geometry import GeometryError
from layers.selectors.generations import current_generation_id
from projects.geometry import project_geometry
from projects.models import (
    BudgetLine,
    Currency,
    FundingSource,
    Procurement,
    Project,
    ProjectPhoto,
    ProjectUpdate,
)
from projects.workflow import FINISHED, Status, allowed
from reports.errors import Forbidden, Invalid, NotFound
from reports.models import Report
from reports.services.photos import CleanPhoto, store_clean_photo
from reports.services.workflow import report_transition
from reports.workflow import OPEN
from reports.workflow import Status as ReportStatus

SQL = Path(__file__).parent / "sql"
EDITABLE = (
    "title_fr", "title_ht", "title_en", "description_fr", "description_ht", "description_en",
    "sector", "responsible_service", "contractor", "planned_start", "planned_end",
    "actual_start", "actual_end", "percent_complete",
)  # fmt: skip


def check_may_edit(actor: Actor, obj) -> None:
    if not can(actor, "project.edit", obj):
        raise Forbidden("Only administrators and planners of its jurisdiction edit a project.")


def _validated(obj) -> None:
    """Model validation as a 400 naming the fields (never a database error)."""
    try:
        obj.full_clean(exclude=["areas", "reports"])
    except ValidationError as exc:
        field_name, messages = next(iter(exc.message_dict.items()))
        raise Invalid(field_name, " ".join(messages)) from None


def _geometry(value):
    try:
        return project_geometry(value)
    except GeometryError as exc:
        raise Invalid("geometry", str(exc)) from None


def touched_sections(geom) -> list[int]:
    rows = fetch_dicts(
        sql_file(SQL / "touched_sections.sql"),
        {"geom": bytes(geom.ewkb), "generation": current_generation_id()},
    )
    return [row["id"] for row in rows]


def _place(project: Project, geom) -> None:
    sections = touched_sections(geom)
    if not sections:
        raise Invalid("geometry", "the geometry lies outside every section of the country")
    project.areas.set(sections)


@transaction.atomic
def project_create(*, actor: Actor, jurisdiction: Jurisdiction, slug: str, geometry, **fields):
    check_may_edit(actor, jurisdiction)
    unknown = set(fields) - set(EDITABLE) - {"sample"}
    if unknown:
        raise Invalid(sorted(unknown)[0], "is not a field of a project")
    geom = _geometry(geometry)
    project = Project(jurisdiction=jurisdiction, slug=slug, geom=geom, **fields)
    _validated(project)
    project.save()
    _place(project, geom)
    return project


@transaction.atomic
def project_update(*, actor: Actor, project_id: int, geometry=None, **fields) -> Project:
    project = _locked(project_id)
    check_may_edit(actor, project)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise Invalid(name, "is not a field one may change here")
        setattr(project, name, value)
    if geometry is not None:
        project.geom = _geometry(geometry)
    _validated(project)
    project.save()
    if geometry is not None:
        _place(project, project.geom)
    return project


def _locked(project_id: int) -> Project:
    project = Project.objects.select_for_update().filter(pk=project_id).first()
    if project is None:
        raise NotFound(f"No project {project_id}.")
    return project


@dataclass
class TransitionResult:
    project: Project
    resolved: list[str] = field(default_factory=list)
    not_resolved: dict[str, str] = field(default_factory=dict)


@transaction.atomic
def project_transition(
    *,
    actor: Actor,
    project_id: int,
    status: str,
    note: str = "",
    language: str = "fr",
    resolve_reports: bool = False,
    today: date | None = None,
) -> TransitionResult:
    """Moves the project (workflow data in projects.workflow) and records it on the
    timeline. Completing it with `resolve_reports` moves each open linked report to
    resolved through reports' own workflow, as this person: a report they may not move
    is left as it is and named in the result with the reason."""
    project = _locked(project_id)
    check_may_edit(actor, project)
    if status not in Status.values:
        raise Invalid("status", f"{status!r} is not one of {', '.join(Status.values)}.")
    if not allowed(project.status, status):
        raise Invalid("status", f"A project cannot go from {project.status} to {status}.")
    today = today or timezone.localdate()
    project.status = status
    if status == Status.IN_PROGRESS and project.actual_start is None:
        project.actual_start = today
    if status == Status.COMPLETED:
        project.percent_complete = 100
        project.actual_end = project.actual_end or today
    project.save()
    ProjectUpdate.objects.create(
        project=project,
        author=actor.user,
        text=note.strip() or status,
        language=language,
        status=status,
        percent_complete=project.percent_complete,
        created_at=timezone.now(),
    )
    result = TransitionResult(project=project)
    if status == Status.COMPLETED and resolve_reports:
        _resolve_linked(result, actor, note or project.title(language))
    return result


def _resolve_linked(result: TransitionResult, actor: Actor, note: str) -> None:
    for report in result.project.reports.filter(status__in=OPEN).order_by("reference"):
        try:
            with transaction.atomic():
                report_transition(
                    report_id=report.pk,
                    actor=actor,
                    status=ReportStatus.RESOLVED,
                    version=None,
                    public_note=note,
                )
        except (Forbidden, Invalid) as exc:
            result.not_resolved[report.reference] = str(exc.detail)
        else:
            result.resolved.append(report.reference)


@transaction.atomic
def project_link_reports(*, actor: Actor, project_id: int, references: list[str]) -> Project:
    """The reports the project answers (replaces the list). Hidden reports and reports of
    another jurisdiction are refused by name."""
    project = _locked(project_id)
    check_may_edit(actor, project)
    wanted = sorted(set(references))
    found = {
        r.reference: r
        for r in Report.objects.filter(
            reference__in=wanted, hidden=False, jurisdiction_id=project.jurisdiction_id
        )
    }
    missing = [ref for ref in wanted if ref not in found]
    if missing:
        raise Invalid(
            "reports", f"No visible report of this jurisdiction: {', '.join(missing[:10])}."
        )
    project.reports.set(found.values())
    return project


@transaction.atomic
def budget_line_save(
    *,
    actor: Actor,
    project_id: int,
    year: int,
    funding_source: str,
    currency: str = Currency.HTG,
    planned: Decimal = Decimal("0"),
    committed: Decimal = Decimal("0"),
    spent: Decimal = Decimal("0"),
    exchange_rate: Decimal | None = None,
    rate_date: date | None = None,
) -> BudgetLine:
    """Creates or replaces the line of this year, source and currency."""
    project = _locked(project_id)
    check_may_edit(actor, project)
    source = FundingSource.objects.filter(code=funding_source).first()
    if source is None:
        raise Invalid("funding_source", f"No funding source {funding_source!r}.")
    if currency == Currency.USD and (exchange_rate is None or rate_date is None):
        raise Invalid(
            "exchange_rate", "A USD line needs the rate used (HTG for 1 USD) and its date."
        )
    if currency == Currency.HTG and (exchange_rate is not None or rate_date is not None):
        raise Invalid("exchange_rate", "An HTG line takes no exchange rate.")
    line = BudgetLine.objects.filter(
        project=project, year=year, funding_source=source, currency=currency
    ).first() or BudgetLine(project=project, year=year, funding_source=source, currency=currency)
    line.planned, line.committed, line.spent = planned, committed, spent
    line.exchange_rate, line.rate_date = exchange_rate, rate_date
    _validated(line)
    line.save()
    return line


@transaction.atomic
def update_add(
    *,
    actor: Actor,
    project_id: int,
    text: str,
    language: str = "fr",
    percent_complete: int | None = None,
    photos: list[CleanPhoto] = (),
) -> ProjectUpdate:
    """A timeline entry; photos arrive cleaned (reports.services.photos: re-encoded, no
    EXIF) and their files are removed if the transaction fails."""
    project = _locked(project_id)
    check_may_edit(actor, project)
    if not text.strip():
        raise Invalid("text", "An update needs a text.")
    if project.status in FINISHED and percent_complete is not None:
        raise Invalid("percent_complete", f"The project is {project.status}.")
    if percent_complete is not None:
        project.percent_complete = percent_complete
        _validated(project)
        project.save(update_fields=["percent_complete", "updated_at"])
    update = ProjectUpdate.objects.create(
        project=project,
        author=actor.user,
        text=text.strip(),
        language=language,
        status=project.status,
        percent_complete=project.percent_complete,
        created_at=timezone.now(),
    )
    stored: list[ProjectPhoto] = []
    try:
        for photo in photos:
            stored.append(_photo_store(update, photo))
    except BaseException:
        for record in stored:
            record.image.storage.delete(record.image.name)
            record.thumbnail.storage.delete(record.thumbnail.name)
        raise
    return update


def _photo_store(update: ProjectUpdate, photo: CleanPhoto) -> ProjectPhoto:
    return store_clean_photo(ProjectPhoto(update=update), photo)


@transaction.atomic
def procurement_save(*, actor: Actor, project_id: int, pk: int | None = None, **fields):
    project = _locked(project_id)
    check_may_edit(actor, project)
    procurement = (
        Procurement.objects.filter(project=project, pk=pk).first()
        if pk
        else Procurement(project=project)
    )
    if procurement is None:
        raise NotFound(f"No procurement {pk} in this project.")
    for name, value in fields.items():
        setattr(procurement, name, value)
    _validated(procurement)
    procurement.save()
    return procurement
