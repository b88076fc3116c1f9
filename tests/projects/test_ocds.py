"""The OCDS export validated against the Open Contracting release-package schema 1.1.5
(vendored in tests/projects/ocds with its licence), with jsonschema (Draft 4)."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
from jsonschema import Draft4Validator
from referencing import Registry
from referencing.jsonschema import DRAFT4

from communes.access import actor_for
from projects.services import procurement_save

pytestmark = pytest.mark.django_db
SCHEMAS = Path(__file__).parent / "ocds"


@pytest.fixture(scope="module")
def validator():
    release = json.loads((SCHEMAS / "release-schema.json").read_text())
    package = json.loads((SCHEMAS / "release-package-schema.json").read_text())
    registry = Registry().with_resource(release["id"], DRAFT4.create_resource(release))
    return Draft4Validator(
        package, registry=registry, format_checker=Draft4Validator.FORMAT_CHECKER
    )


@pytest.fixture
def contracted(towns, make_project, settings):
    settings.KOMIN_OCDS_PREFIX = "ocds-abc123"
    project = make_project(slug="drain-delmas", sector="drainage")
    admin = actor_for(towns.people.superuser)
    procurement_save(
        actor=admin, project_id=project.pk, title="Curage du canal", method="open",
        tender_status="complete", tender_value=Decimal("2500000.00"),
        tender_start="2025-02-01", tender_end="2025-03-01",
        supplier_name="Konstriksyon Nò SA", supplier_id="NIF-000-123-456",
        award_date="2025-03-15", award_value=Decimal("2350000.50"),
        contract_status="active", contract_signed="2025-03-20",
        contract_start="2025-04-01", contract_end="2025-09-30",
        contract_value=Decimal("2350000.50"),
    )  # fmt: skip
    procurement_save(actor=admin, project_id=project.pk, title="Supervision", currency="USD",
                     tender_status="planned", tender_value=Decimal("18000"))  # fmt: skip
    return project


def test_the_release_package_is_valid_ocds(api, contracted, validator):
    package = api.get("/api/v1/projects/ocds/", {"jurisdiction": "delmas"}).json()
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in validator.iter_errors(package)]  # fmt: skip
    assert not errors, errors
    full, planned = package["releases"]
    assert full["ocid"].startswith("ocds-abc123-drain-delmas-")
    assert full["tag"] == ["tender", "award", "contract"]
    assert full["awards"][0]["suppliers"][0]["name"] == "Konstriksyon Nò SA"
    assert full["contracts"][0]["awardID"] == full["awards"][0]["id"]
    assert full["contracts"][0]["value"] == {"amount": 2350000.5, "currency": "HTG"}
    assert planned["tender"]["value"]["currency"] == "USD" and "awards" not in planned
    roles = {tuple(p["roles"]) for p in full["parties"]}
    assert ("buyer", "procuringEntity") in roles and ("supplier", "tenderer") in roles


def test_the_schema_check_catches_a_broken_release(api, contracted, validator):
    """The validator is not a rubber stamp: a status outside the closed codelist and a
    release without its ocid are errors."""
    package = api.get("/api/v1/projects/ocds/").json()
    package["releases"][0]["contracts"][0]["status"] = "finished"
    del package["releases"][1]["ocid"]
    messages = [e.message for e in validator.iter_errors(package)]
    assert any("finished" in m for m in messages) and any("ocid" in m for m in messages)
