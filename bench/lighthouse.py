"""Lighthouse mobile scores (performance, accessibility, best practices) of the citizen
pages: home, report, tracking and transparency, against gunicorn on a free loopback port
(the development database) and Debian's Chromium. Lighthouse comes from npm into
bench/lighthouse/ (its own lock, not shipped with the app).

    make bench-lighthouse        # or: .venv/bin/python bench/lighthouse.py [--runs 3]

Static files are served as in production: collected with hashed names, precompressed and
cached a year (KOMIN_HASHED_STATIC=1, into a temporary STATIC_ROOT); `--dev-static` serves
them from the sources instead, uncompressed, as `make run` in development does.

Mobile emulation and simulated slow 4G throttling are Lighthouse's defaults; scores move
with the machine's load (median of --runs). Goals (issue #13, on a quiet machine):
performance ≥ 90, accessibility 100, best practices 100.
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = os.environ.get("KOMIN_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ["performance", "accessibility", "best-practices"]
# Left out of the bench's collectstatic (none is on the citizen pages): compressing the
# 57 MB of npm packages took 8 minutes on the loaded shared machine.
UNUSED_STATIC = (
    "admin", "rest_framework", "gis", "ol", "ol-mapbox-style", "swagger-ui-dist", "geotiff",
    "axe-core", "pako", "@mapbox", "@petamoriken", "lerc", "zstddec", "xml-utils", "src",
    "spec", "example", "*.md", "*.ts",
)  # fmt: skip


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_static(root: str) -> dict[str, str]:
    """collectstatic with production's storage into `root`; the environment to serve it."""
    env = {"KOMIN_HASHED_STATIC": "1", "STATIC_ROOT": root}
    ignore = [arg for name in UNUSED_STATIC for arg in ("-i", name)]
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0", *ignore],
        cwd=ROOT, env={**os.environ, "KOMIN_DEV": "1", **env}, check=True,
    )  # fmt: skip
    return env


def serve(port: int, log, static_env: dict[str, str]) -> subprocess.Popen:
    env = {**os.environ, "KOMIN_DEV": "1", "DEBUG": "0", "ALLOWED_HOSTS": "127.0.0.1"}
    env.update(static_env)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
         "geoportal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("gunicorn exited; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):  # nosec B310
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def a_reference(base: str) -> str:
    with urllib.request.urlopen(f"{base}/api/v1/reports/?page_size=1", timeout=10) as r:  # nosec B310
        results = json.load(r)["results"]
    return results[0]["reference"] if results else "26-XXXXXX"


METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


def what_to_fix(report: dict) -> list[str]:
    """The metrics, and the audits of the three categories that did not pass, by weight."""
    audits = report["audits"]
    lines = [
        "  "
        + "  ".join(f"{short} {audits[k].get('displayValue', '?')}" for k, short in METRICS.items())
    ]
    for category in CATEGORIES:
        for ref in sorted(report["categories"][category]["auditRefs"], key=lambda r: -r["weight"]):
            audit = audits[ref["id"]]
            failed = audit["score"] is not None and audit["score"] < 0.9
            if failed and audit["scoreDisplayMode"] in ("binary", "numeric", "metricSavings"):
                shown = audit.get("displayValue", "")
                lines.append(f"  {category}: {ref['id']} ({audit['score']:.2f}) {shown}")
    lines += [f"  {name}: {snippet}" for name, snippet in _culprits(audits)]
    return lines


def _culprits(audits: dict) -> list[tuple[str, str]]:
    """Which element is the LCP, which ones shift, which scripts are unused or block."""
    found = []

    def walk(name, value):
        if isinstance(value, dict):
            if "snippet" in value:
                found.append((name, value["snippet"][:160]))
            elif isinstance(value.get("url"), str) and name != "lcp":
                found.append((name, value["url"].split("/", 3)[-1][:100]))
            for child in value.values():
                if isinstance(child, (dict, list)):
                    walk(name, child)
        elif isinstance(value, list):
            for child in value:
                walk(name, child)

    for audit, name in (
        ("largest-contentful-paint-element", "lcp"),
        ("layout-shifts", "shift"),
        ("render-blocking-resources", "blocking"),
        ("unused-javascript", "unused js"),
        ("errors-in-console", "console"),
        ("font-size", "small text"),
        ("long-tasks", "long task"),
    ):
        walk(name, audits.get(audit, {}).get("details", {}).get("items", []))
    return list(dict.fromkeys(found))[:25]


def scores(url: str, details: bool = False) -> dict[str, float] | None:
    """The three scores of one run; None when Lighthouse could not score it (a timeout
    under heavy load: its runtime error is printed)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        done = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", f"--output-path={out}",
             f"--only-categories={','.join(CATEGORIES)}",
             "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
            env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, capture_output=True,
            text=True,
        )  # fmt: skip
        if not out.exists():
            raise SystemExit(f"lighthouse failed on {url}:\n{done.stderr[-3000:]}")
        report = json.loads(out.read_text())
    if any(report["categories"][c]["score"] is None for c in CATEGORIES):
        error = report.get("runtimeError", {}).get("message", "") or report.get("runWarnings")
        print(f"{url}: not scored ({error}); run left out", file=sys.stderr)
        return None
    if details:
        print(f"{url}:", *what_to_fix(report), sep="\n", file=sys.stderr)
    return {c: report["categories"][c]["score"] * 100 for c in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page (median)")
    parser.add_argument(
        "--details", action="store_true", help="print the metrics and failed audits (stderr)"
    )
    parser.add_argument(
        "--dev-static", action="store_true", help="static files from the sources, uncompressed"
    )
    parser.add_argument("--pages", help="only these, by first path part: ',report,r,transparency'")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        subprocess.run(["npm", "ci", "--silent"], cwd=LIGHTHOUSE.parents[2], check=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        tempfile.NamedTemporaryFile("w", suffix=".log") as log,
        tempfile.TemporaryDirectory(prefix="komin-lighthouse-static-") as static_root,
    ):
        static_env = {} if args.dev_static else production_static(static_root)
        print("static files:", "from the sources" if args.dev_static else "collected, hashed")
        server = serve(port, log, static_env)
        try:
            pages = ["/", "/report/", f"/r/{a_reference(base)}/", "/transparency/"]
            if args.pages:
                pages = [p for p in pages if p.split("/")[1] in args.pages.split(",")]
            print(f"{'page':<18}{'performance':>13}{'accessibility':>15}{'best practices':>16}")
            for page in pages:
                runs = [r for _ in range(args.runs) if (r := scores(base + page, args.details))]
                if not runs:
                    print(f"{page:<18}{'not scored':>13}")
                    continue
                median = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
                print(
                    f"{page:<18}{median['performance']:>13.0f}"
                    f"{median['accessibility']:>15.0f}{median['best-practices']:>16.0f}"
                )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
