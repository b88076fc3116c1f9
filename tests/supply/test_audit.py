"""`make audit` says what was really audited. The unreachable cases are pip-audit's and
npm's real output on a machine without their vulnerability services (captured here)."""

import importlib.util
import json
from pathlib import Path

from django.conf import settings

CAPTURED = Path(__file__).parent / "captured"
spec = importlib.util.spec_from_file_location("audit", settings.BASE_DIR / "scripts/audit.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)


def captured(name: str) -> dict:
    return json.loads((CAPTURED / name).read_text())


def test_pip_audit_skipping_every_package_is_not_audited_not_clean():
    report = captured("pip_audit_unreachable.json")  # pip-audit printed "No known vulnerabilities"

    verdict = audit.summarise_pip_audit(report, locked=93)

    assert verdict.audited == 0 and verdict.total == 93
    assert verdict.status == 2
    lines = "\n".join(verdict.lines())
    assert "NOT AUDITED (pip-audit): vulnerability service unreachable: 93 of 93" in lines
    assert "no known vulnerabilities" not in lines.lower()


def test_pip_audit_with_some_skipped_is_partly_not_audited():
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "komin-private", "skip_reason": "Dependency not found on PyPI"},
        ]
    }

    verdict = audit.summarise_pip_audit(report, locked=2)

    assert verdict.audited == 1 and verdict.status == 2
    assert "1 of 2 packages skipped" in verdict.not_audited


def test_pip_audit_vulnerabilities_are_named_with_their_fix():
    report = {
        "dependencies": [
            {
                "name": "django",
                "version": "5.2.0",
                "vulns": [{"id": "PYSEC-2025-1", "fix_versions": ["5.2.1"], "aliases": []}],
            },
            {"name": "shapely", "version": "2.2.0", "vulns": []},
        ],
        "fixes": [],
    }

    verdict = audit.summarise_pip_audit(report, locked=2)

    assert verdict.status == 1
    assert verdict.lines()[1] == "VULNERABLE: django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)"


def test_pip_audit_all_audited_and_clean():
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}

    verdict = audit.summarise_pip_audit(report, locked=1)

    assert verdict.status == 0
    assert verdict.lines()[-1] == "pip-audit: no known vulnerabilities in the 1 audited"


def test_packages_missing_from_the_report_or_no_report_are_not_audited():
    one = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    assert audit.summarise_pip_audit(one, locked=93).status == 2
    crashed = audit.summarise_pip_audit(None, locked=93, error="ConnectionError: api.osv.dev")
    assert crashed.status == 2 and "api.osv.dev" in crashed.not_audited


def test_npm_audit_error_body_is_not_audited():
    verdict = audit.summarise_npm_audit(captured("npm_audit_unreachable.json"), locked=14)

    assert verdict.status == 2
    assert "405 Method Not Allowed" in verdict.not_audited


def test_npm_audit_report_counts_and_names_vulnerabilities():
    report = {
        "auditReportVersion": 2,
        "vulnerabilities": {
            "leaflet": {"severity": "moderate", "range": "<1.9.4", "fixAvailable": True}
        },
        "metadata": {"vulnerabilities": {"moderate": 1, "total": 1}, "dependencies": {"total": 14}},
    }

    verdict = audit.summarise_npm_audit(report, locked=14)

    assert verdict.audited == 14 and verdict.status == 1
    assert "VULNERABLE: leaflet <1.9.4: moderate (fix available)" in verdict.lines()
