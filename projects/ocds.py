"""Projects as Open Contracting Data Standard 1.1 release packages: one release per
procurement (contracting process), with the project as its planning, the tender, the
award and the contract as far as they exist. Amounts are numbers in the currency of the
procurement; the project's budget (in HTG, converted line by line) is the planning
budget. Checked against the OCDS release-package schema in tests/projects/test_ocds.py."""

from datetime import date, datetime, time
from decimal import Decimal

from django.utils import timezone

from projects import conf
from projects.models import Procurement, Project
from projects.selectors import project_totals

TAGS = (("contract_status", "contract"), ("award_date", "award"), ("tender_start", "tender"))


def ocid(procurement: Procurement) -> str:
    return f"{conf.get('KOMIN_OCDS_PREFIX')}-{procurement.project.slug}-{procurement.pk}"


def _amount(value: Decimal | None, currency: str) -> dict | None:
    return None if value is None else {"amount": float(value), "currency": currency}


def _when(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(), tzinfo=timezone.get_current_timezone())
    return value.isoformat()


def _period(start, end) -> dict | None:
    period = {k: v for k, v in (("startDate", _when(start)), ("endDate", _when(end))) if v}
    return period or None


def _clean(value):
    """OCDS wants absent fields left out, not null."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def release(procurement: Procurement, *, buyer: dict, budget: Decimal) -> dict:
    project = procurement.project
    tags = [tag for attr, tag in TAGS if getattr(procurement, attr)] or ["planning"]
    parties = [{**buyer, "roles": ["buyer", "procuringEntity"]}]
    supplier = None
    if procurement.supplier_name:
        supplier = {
            "id": procurement.supplier_id or f"supplier-{procurement.pk}",
            "name": procurement.supplier_name,
        }
        parties.append({**supplier, "roles": ["supplier", "tenderer"]})
    award_id = f"{procurement.pk}-award"
    data = {
        "ocid": ocid(procurement),
        "id": f"{ocid(procurement)}-{procurement.updated_at:%Y%m%dT%H%M%S}",
        "date": _when(procurement.updated_at),
        "tag": list(reversed(tags)),
        "initiationType": "tender",
        "language": "fr",
        "parties": parties,
        "buyer": {"id": buyer["id"], "name": buyer["name"]},
        "planning": {
            "rationale": project.description_fr,
            "budget": {
                "description": project.title_fr,
                "amount": {"amount": float(budget), "currency": "HTG"},
                "project": project.title_fr,
                "projectID": project.slug,
            },
        },
        "tender": {
            "id": f"{procurement.pk}-tender",
            "title": procurement.title,
            "status": procurement.tender_status,
            "procurementMethod": procurement.method,
            "mainProcurementCategory": "works",
            "value": _amount(procurement.tender_value, procurement.currency),
            "tenderPeriod": _period(procurement.tender_start, procurement.tender_end),
            "procuringEntity": {"id": buyer["id"], "name": buyer["name"]},
        },
    }
    if procurement.award_date:
        data["awards"] = [
            {
                "id": award_id,
                "status": "active",
                "date": _when(procurement.award_date),
                "value": _amount(procurement.award_value, procurement.currency),
                "suppliers": [supplier] if supplier else [],
            }
        ]
    if procurement.contract_status:
        data["contracts"] = [
            {
                "id": f"{procurement.pk}-contract",
                "awardID": award_id,
                "title": procurement.title,
                "status": procurement.contract_status,
                "value": _amount(procurement.contract_value, procurement.currency),
                "dateSigned": _when(procurement.contract_signed),
                "period": _period(procurement.contract_start, procurement.contract_end),
            }
        ]
    return _clean(data)


def release_package(projects: list[Project], *, uri: str) -> dict:
    releases = []
    for project in projects:
        j = project.jurisdiction
        buyer = {"id": f"komin-{j.slug}", "name": j.name_fr}
        budget = project_totals(project)["planned"]
        for procurement in project.procurements.all():
            procurement.project = project
            releases.append(release(procurement, buyer=buyer, budget=budget))
    published = max((r["date"] for r in releases), default=timezone.now().isoformat())
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": published,
        "publisher": {"name": conf.get("KOMIN_OCDS_PUBLISHER")},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "releases": releases,
    }
