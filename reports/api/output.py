"""What a report looks like in API responses. Public output is built from an explicit list
of fields so that nothing private (contact details, notes, tracking token) can leak in."""

from django.urls import reverse

from communes.access import Actor, can
from reports import events
from reports.models import Category, Question, Report, ReportPhoto, ReportUpdate
from reports.workflow import group


def _name(obj, lang: str) -> str:
    return getattr(obj, f"name_{lang}", "") or obj.name_fr


def area_ref(area, lang: str) -> dict | None:
    return {"pcode": area.pcode, "name": _name(area, lang)} if area else None


def photo_urls(photo: ReportPhoto) -> dict:
    return photo_urls_of(photo.pk)


def photo_urls_of(pk: int) -> dict:
    url = reverse("report-photo", args=[pk])
    return {"id": pk, "url": url, "thumbnail_url": f"{url}?size=thumb"}


def iso(value) -> str | None:
    return value.isoformat() if value else None


def report_public(report: Report, lang: str = "fr", *, photos=None) -> dict:
    """`photos`: the report's, when the caller has them (a new report: those just
    written), else they are read."""
    if photos is None:
        photos = report.photos.all()
    return {
        "reference": report.reference,
        "category": {"code": report.category.code, "name": _name(report.category, lang)},
        "status": report.status,
        "status_group": group(report.status),
        "priority": report.priority,
        "location": {"lon": report.location.x, "lat": report.location.y},
        "address": report.address,
        "description": report.description,
        "answers": report.answers,
        "section": area_ref(report.section, lang),
        "commune": area_ref(report.commune, lang),
        "departement": area_ref(report.departement, lang),
        "team": report.team.name if report.team else None,
        "asset": report.asset_id,
        "support_count": report.support_count,
        "duplicate_of": report.duplicate_of.reference if report.duplicate_of else None,
        "photos": [photo_urls(p) for p in photos if not p.hidden],
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "expected_at": iso(report.expected_at),
        "resolved_at": iso(report.resolved_at),
        "closed_at": iso(report.closed_at),
        "version": report.version,
    }


def report_public_row(row: dict, lang: str = "fr") -> dict:
    """report_public from a row of columns (reports/sql/nearby_open.sql) rather than a
    model instance: the same keys and values (tests/reports/test_public_rows.py)."""

    def named(prefix: str) -> str:
        return row.get(f"{prefix}_name_{lang}") or row[f"{prefix}_name_fr"]

    def area(level: str) -> dict | None:
        pcode = row[f"{level}_pcode"]
        return {"pcode": pcode, "name": named(level)} if pcode else None

    return {
        "reference": row["reference"],
        "category": {"code": row["category_code"], "name": named("category")},
        "status": row["status"],
        "status_group": group(row["status"]),
        "priority": row["priority"],
        "location": {"lon": row["lon"], "lat": row["lat"]},
        "address": row["address"],
        "description": row["description"],
        "answers": row["answers"],
        "section": area("section"),
        "commune": area("commune"),
        "departement": area("departement"),
        "team": row["team_name"],
        "asset": row["asset_id"],
        "support_count": row["support_count"],
        "duplicate_of": row["duplicate_of"],
        "photos": [photo_urls_of(pk) for pk in row["photo_ids"]],
        "created_at": iso(row["created_at"]),
        "updated_at": iso(row["updated_at"]),
        "expected_at": iso(row["expected_at"]),
        "resolved_at": iso(row["resolved_at"]),
        "closed_at": iso(row["closed_at"]),
        "version": row["version"],
    }


def team_unstaffed(report: Report) -> bool:
    known = getattr(report, "team_unstaffed", None)
    if known is not None:
        return known
    return report.team_id is not None and not report.team.members.exists()


def report_for(report: Report, actor: Actor, lang: str = "fr") -> dict:
    data = report_public(report, lang)
    if not can(actor, "report.view_private", report):
        return data
    data["photos"] = [
        {**photo_urls(p), "hidden": p.hidden, "hidden_reason": p.hidden_reason}
        for p in report.photos.all()
    ]
    data["staff"] = {
        "team_id": report.team_id,
        "jurisdiction": report.jurisdiction.slug,
        "assignee": report.assignee_id,
        # Routed to a team with no member: nobody will work it until a supervisor acts.
        "team_unstaffed": team_unstaffed(report),
        "hidden": report.hidden,
        "hidden_reason": report.hidden_reason,
        "source": report.source,
    }
    if can(actor, "report.view_contact", report):
        data["staff"]["contact"] = {
            "name": report.reporter_name,
            "email": report.reporter_email,
            "phone": report.reporter_phone,
        }
    return data


def update_for(update: ReportUpdate, staff: bool, lang: str = "fr") -> dict:
    data = {
        "id": update.pk,
        "kind": update.kind,
        "event": update.event or None,
        "event_text": events.render(update.event, update.params, lang) or None,
        "from_status": update.from_status,
        "status": update.to_status,
        "status_group": group(update.to_status) if update.to_status else None,
        "public_note": update.public_note,
        "actor_role": update.actor_role,
        "photo": photo_urls(update.photo)
        if update.photo and (staff or not update.photo.hidden)
        else None,
        "created_at": iso(update.created_at),
    }
    if staff:
        data["internal_note"] = update.internal_note
        data["actor"] = update.actor.get_username() if update.actor else None
    return data


def question_out(question: Question, lang: str) -> dict:
    return {
        "code": question.code,
        "datatype": question.datatype,
        "required": question.required,
        "variable": question.variable,
        "order": question.order,
        "text": question.text(lang),
        "values": [
            {"key": v["key"], "name": v.get(f"name_{lang}") or v.get("name_fr", v["key"])}
            for v in question.values
        ],
    }


def localised(obj, field: str, lang: str) -> str:
    """A field kept in French with `_ht`/`_en` translations, in `lang` (French if empty)."""
    if lang != "fr":
        return getattr(obj, f"{field}_{lang}", "") or getattr(obj, field)
    return getattr(obj, field)


def category_out(category: Category, lang: str) -> dict:
    return {
        "code": category.code,
        "name": _name(category, lang),
        "name_fr": category.name_fr,
        "name_ht": category.name_ht,
        "name_en": category.name_en,
        "group": localised(category, "group", lang),
        "description": localised(category, "description", lang),
        "keywords": [k.strip() for k in category.keywords.split(",") if k.strip()],
        "department": category.department,
        "layer": category.layer.slug if category.layer_id else None,
        "duplicate_radius_m": category.duplicate_radius_m,
        "sla_hours": category.sla_hours,
        "questions": [question_out(q, lang) for q in category.questions.all()],
    }
