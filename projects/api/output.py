"""What the public reads about a project: never the author of an update (staff), never
a report's reporter (reports' own public fields only)."""

import json
from decimal import Decimal

from django.urls import reverse

from projects.models import Project, ProjectPhoto
from projects.selectors import project_totals
from projects.workflow import label, sector_label
from reports.api.output import area_ref, iso
from reports.workflow import group


def _money(value) -> str | None:
    return None if value is None else str(value)


def exact(rows: list[dict]) -> list[dict]:
    """Money as decimal strings: a JSON number would go through a float."""
    return [{k: str(v) if isinstance(v, Decimal) else v for k, v in row.items()} for row in rows]


def photo_urls(photo: ProjectPhoto) -> dict:
    url = reverse("project-photo", args=[photo.pk])
    return {"id": photo.pk, "url": url, "thumbnail": f"{url}?size=thumb"}


def project_summary(project: Project, lang: str, spending: dict | None = None) -> dict:
    """With `spending` (the list's one query per page): planned and spent in HTG too."""
    summary = {
        "slug": project.slug,
        "title": project.title(lang),
        "sector": project.sector,
        "sector_label": sector_label(project.sector, lang),
        "status": project.status,
        "status_label": label(project.status, lang),
        "percent_complete": project.percent_complete,
        "jurisdiction": project.jurisdiction.slug,
        "sample": project.sample,
    }
    if spending is not None:
        summary["planned_htg"] = str(spending.get("planned") or Decimal("0.00"))
        summary["spent_htg"] = str(spending.get("spent") or Decimal("0.00"))
    return summary


def _proposal_ref(project: Project) -> dict | None:
    """The participatory budget proposal this project came from, if any."""
    proposal = getattr(project, "proposal", None)
    if proposal is None:
        return None
    return {
        "id": proposal.pk,
        "round": proposal.round.slug,
        "page": f"/budget/{proposal.round.slug}/",
    }


def project_detail(project: Project, lang: str) -> dict:
    totals = project_totals(project)
    return {
        **project_summary(project, lang),
        "titles": {k: getattr(project, f"title_{k}") for k in ("fr", "ht", "en")},
        "description": project.description(lang),
        "geometry": json.loads(project.geom.json),
        "areas": [
            {**area_ref(a, lang), "commune": area_ref(a.parent, lang)} for a in project.areas.all()
        ],
        "from_proposal": _proposal_ref(project),
        "responsible_service": project.responsible_service,
        "contractor": project.contractor,
        "funding_sources": sorted({b.funding_source.name for b in project.budget_lines.all()}),
        "dates": {
            "planned_start": iso(project.planned_start),
            "planned_end": iso(project.planned_end),
            "actual_start": iso(project.actual_start),
            "actual_end": iso(project.actual_end),
        },
        "money": {
            "currency": "HTG",
            **{k: _money(v) for k, v in totals.items()},
            "lines": [
                {
                    "year": b.year,
                    "funding_source": b.funding_source.code,
                    "funding_source_name": b.funding_source.name,
                    "currency": b.currency,
                    "planned": _money(b.planned),
                    "committed": _money(b.committed),
                    "spent": _money(b.spent),
                    "exchange_rate": _money(b.exchange_rate),
                    "rate_date": iso(b.rate_date),
                }
                for b in project.budget_lines.all()
            ],
        },
        "timeline": [
            {
                "id": u.pk,
                "text": u.text,
                "language": u.language,
                "status": u.status,
                "status_label": label(u.status, lang),
                "percent_complete": u.percent_complete,
                "created_at": iso(u.created_at),
                "photos": [photo_urls(p) for p in u.photos.all()],
            }
            for u in project.updates.all()
        ],
        "procurements": [
            {
                "id": p.pk,
                "title": p.title,
                "method": p.method,
                "currency": p.currency,
                "tender_status": p.tender_status,
                "tender_value": _money(p.tender_value),
                "supplier": p.supplier_name,
                "award_value": _money(p.award_value),
                "contract_status": p.contract_status,
                "contract_value": _money(p.contract_value),
            }
            for p in project.procurements.all()
        ],
        "reports": [
            {
                "reference": r.reference,
                "category": r.category.code,
                "status": r.status,
                "status_group": group(r.status),
            }
            for r in project.reports.all()
            if not r.hidden
        ],
        "created_at": iso(project.created_at),
        "updated_at": iso(project.updated_at),
    }


def projects_answering(report, lang: str) -> list[dict]:
    """The projects that answer a report, for its public tracking page."""
    return [
        project_summary(p, lang)
        for p in report.projects.select_related("jurisdiction").order_by("slug")
    ]


def section_out(summary: dict, lang: str) -> dict:
    area = summary["area"]
    cash = summary["money"]
    return {
        "area": {**area_ref(area, lang), "population": area.population},
        "commune": area_ref(area.parent, lang),
        "projects": [project_summary(p, lang) for p in summary["projects"]],
        "money": {
            "currency": "HTG",
            "note": "A project's money is shared equally between the sections it touches.",
            **{
                k: _money(cash.get(k))
                for k in ("planned", "committed", "spent", "spent_per_resident", "spent_per_1000")
            },
        },
        "reports": [
            {
                "category": r["category"],
                "name": r.get(f"name_{lang}") or r["name_fr"],
                "reports": r["reports"],
                "open": r["open"],
                "fixed": r["fixed"],
            }
            for r in summary["reports"]
        ],
        "infrastructure": summary["infrastructure"],
    }
