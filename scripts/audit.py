"""`make audit`: known vulnerabilities of the Python lock (pip-audit, with hashes) and of the
npm packages (npm audit), saying plainly what could not be audited.

pip-audit prints "No known vulnerabilities found" and exits 0 even when it could audit
none of the packages (each one "skipped" because the vulnerability service could not be
reached). This script counts what was really audited and prints a NOT AUDITED line, and
exits non-zero, whenever a package was skipped or a tool could not get its data.
Exit status: 0 all audited and clean, 1 vulnerabilities found, 2 something not audited.
It runs fixed commands of our own tools with subprocess, never through a shell (B404).
"""

import json
import re
import subprocess  # nosec B404
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.txt"
PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*==", re.MULTILINE)


@dataclass
class Verdict:
    tool: str
    total: int = 0
    audited: int = 0
    vulnerabilities: list[str] = field(default_factory=list)
    not_audited: str = ""  # why some or all packages were not audited

    def lines(self) -> list[str]:
        out = [f"{self.tool}: {self.audited} of {self.total} packages audited"]
        out += [f"VULNERABLE: {item}" for item in self.vulnerabilities]
        if self.not_audited:
            out.append(f"NOT AUDITED ({self.tool}): {self.not_audited}")
        elif not self.vulnerabilities:
            out.append(f"{self.tool}: no known vulnerabilities in the {self.audited} audited")
        return out

    @property
    def status(self) -> int:
        return 2 if self.not_audited else 1 if self.vulnerabilities else 0


def summarise_pip_audit(report: dict | None, *, locked: int, error: str = "") -> Verdict:
    """What pip-audit's JSON report really says: audited vs skipped packages."""
    verdict = Verdict(tool="pip-audit", total=locked)
    if not report:
        verdict.not_audited = f"no report ({error or 'pip-audit failed'})"
        return verdict
    dependencies = report.get("dependencies", [])
    skipped = [d for d in dependencies if d.get("skip_reason")]
    verdict.audited = len(dependencies) - len(skipped)
    for dep in dependencies:
        for vuln in dep.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed version"
            verdict.vulnerabilities.append(
                f"{dep['name']} {dep.get('version', '')}: {vuln.get('id')} (fixed in {fixes})"
            )
    if skipped:
        reason = skipped[0]["skip_reason"]
        service = "vulnerability service unreachable" if verdict.audited == 0 else "some skipped"
        verdict.not_audited = (
            f"{service}: {len(skipped)} of {len(dependencies)} packages skipped, e.g. {reason!r}"
        )
    elif len(dependencies) < locked:
        verdict.not_audited = f"only {len(dependencies)} of the {locked} locked packages reported"
    return verdict


def summarise_npm_audit(report: dict | None, *, locked: int, error: str = "") -> Verdict:
    """What `npm audit --json` says: a report with metadata, or an error body."""
    verdict = Verdict(tool="npm audit", total=locked)
    metadata = (report or {}).get("metadata")
    if not metadata:
        message = (report or {}).get("message") or error or "npm audit failed"
        verdict.not_audited = f"vulnerability service unreachable: {message}"
        return verdict
    verdict.audited = metadata.get("dependencies", {}).get("total", 0)
    if verdict.audited < locked:
        verdict.not_audited = f"only {verdict.audited} of the {locked} locked packages reported"
    for name, item in sorted(report.get("vulnerabilities", {}).items()):
        fix = item.get("fixAvailable")
        verdict.vulnerabilities.append(
            f"{name} {item.get('range', '')}: {item.get('severity')}"
            + (" (fix available)" if fix else " (no fix yet)")
        )
    return verdict


def run_pip_audit() -> Verdict:
    locked = len(PINNED.findall(LOCK.read_text()))
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "pip-audit.json"
        command = [
            str(ROOT / ".venv/bin/pip-audit"),
            *("-r", str(LOCK), "--require-hashes", "--disable-pip"),
            *("--format", "json", "--progress-spinner", "off", "-o", str(output)),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=600)  # nosec B603
        report = json.loads(output.read_text()) if output.exists() else None
    return summarise_pip_audit(report, locked=locked, error=_last_line(done.stderr))


def run_npm_audit() -> Verdict:
    # npm from PATH, as scripts/setup.sh installs it.
    done = subprocess.run(  # nosec B603 B607
        ["npm", "audit", "--json"],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        report = None
    lock = json.loads((ROOT / "frontend/package-lock.json").read_text())
    locked = len([path for path in lock.get("packages", {}) if path])  # "" is the project
    return summarise_npm_audit(report, locked=locked, error=_last_line(done.stderr))


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def main() -> int:
    verdicts = [run_pip_audit(), run_npm_audit()]
    for verdict in verdicts:
        for line in verdict.lines():
            print(f"[audit] {line}")
    return max(verdict.status for verdict in verdicts)


if __name__ == "__main__":
    sys.exit(main())
