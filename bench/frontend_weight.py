"""What each page of the web application makes a phone download on first visit: the HTML,
its stylesheets and scripts, the ES modules they import (followed recursively) and the
libraries loaded later on demand. Prints raw and gzipped kilobytes per page, and the time
to transfer the gzipped total at 256 kbit/s (a slow 2G/3G link). Goal: under 150 kB
gzipped for the citizen pages.

    make bench-frontend          # or: .venv/bin/python bench/frontend_weight.py

Reads the pages through Django's test client (no server needed); needs a migrated
database (make run or make setup migrate).
"""

import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402

PAGES = ["/", "/report/", "/r/26-XXXXXX/", "/transparency/"]
# Loaded by the pages' code when first needed (not referenced by the HTML).
ON_DEMAND = {
    "/": ["vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"],
    "/report/": ["vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"],
    "/r/26-XXXXXX/": ["vendor/leaflet.vectorgrid/dist/Leaflet.VectorGrid.bundled.min.js"],
    "/transparency/": [],
}
IMPORT = re.compile(r'^import (?:.*? from )?"(\./[^"]+)";', re.M)
WORKBOX_MODULES = ["workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching",
                   "workbox-expiration"]  # fmt: skip


def static_file(url: str) -> Path:
    found = finders.find(url.removeprefix("/static/"))
    if not found:
        raise SystemExit(f"{url} is not a static file (did npm install run?)")
    return Path(found)


def modules(path: Path, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    for relative in IMPORT.findall(path.read_text()):
        modules((path.parent / relative).resolve(), seen)


def page_weight(client: Client, url: str) -> tuple[int, int, int]:
    html = client.get(url).content
    files: set[Path] = set()
    refs = re.findall(rb'(?:src|href)="(/static/[^"]+\.(?:js|css))"', html)
    for ref in refs:
        path = static_file(ref.decode())
        if path.suffix == ".js":
            modules(path, files)
        else:
            files.add(path)
    files |= {static_file(name) for name in ON_DEMAND[url]}
    bodies = [html, client.get("/jsi18n/").content] + [f.read_bytes() for f in files]
    raw = sum(len(body) for body in bodies)
    zipped = sum(len(gzip.compress(body, 6)) for body in bodies)
    return raw, zipped, len(bodies)


def precache_weight(client: Client) -> tuple[int, int, int]:
    """What the service worker downloads once, in the background, after the first page:
    its script, Workbox and the precached app shell (files a page already loaded are
    fetched again: the precache keeps its own copies)."""
    import json

    script = client.get("/sw.js").content
    entries = json.loads(re.search(rb"precacheAndRoute\((\[.*?\])\);", script, re.S).group(1))
    bodies = [script]
    for name in ["workbox-sw/build/workbox-sw.js"] + [
        f"{m}/build/{m}.prod.js" for m in WORKBOX_MODULES
    ]:
        bodies.append(static_file(f"/static/vendor/{name}").read_bytes())
    for entry in entries:
        if entry["url"].startswith("/static/"):
            bodies.append(static_file(entry["url"]).read_bytes())
        else:
            bodies.append(client.get(entry["url"]).content)
    raw = sum(len(body) for body in bodies)
    zipped = sum(len(gzip.compress(body, 6)) for body in bodies)
    return raw, zipped, len(bodies)


# What the dashboard fetches for its first choropleth (its default form: sections' rates).
DASHBOARD_AREAS = "/api/v1/analytics/rates/?level=section&detail=low"


def dashboard_area_weight() -> tuple[int, int, int] | None:
    """Raw and gzipped bytes (the API is gzipped on the wire) of the dashboard's area
    data, read as the demo planner; None without the demo loaded (run `make demo`)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    staff = users.filter(username="planner").first() or users.filter(is_superuser=True).first()
    if staff is None:
        return None
    client = Client()
    client.force_login(staff)
    response = client.get(DASHBOARD_AREAS, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        return None
    body = b"".join(response.streaming_content) if response.streaming else response.content
    raw = gzip.decompress(body) if response.get("Content-Encoding") == "gzip" else body
    import json

    features = len(json.loads(raw).get("features", []))
    return len(raw), len(gzip.compress(raw, 6)), features


def main() -> None:
    client = Client()
    print(f"{'page':<18}{'files':>6}{'raw kB':>9}{'gzip kB':>9}{'s at 256 kbit/s':>17}")
    for url in PAGES:
        raw, zipped, count = page_weight(client, url)
        seconds = zipped * 8 / 256_000
        print(f"{url:<18}{count:>6}{raw / 1000:>9.1f}{zipped / 1000:>9.1f}{seconds:>17.1f}")
    raw, zipped, count = precache_weight(client)
    seconds = zipped * 8 / 256_000
    label = "offline precache"
    print(f"{label:<18}{count:>6}{raw / 1000:>9.1f}{zipped / 1000:>9.1f}{seconds:>17.1f}")
    print("(offline precache: downloaded once by the service worker after the first page)")
    areas = dashboard_area_weight()
    if areas is None:
        print("dashboard areas: no planner or no areas loaded (make demo)")
    else:
        raw, zipped, features = areas
        print(f"dashboard areas: {features} sections, {raw / 1000:.1f} kB raw, "
              f"{zipped / 1000:.1f} kB gzipped ({DASHBOARD_AREAS}); goal 60 kB")  # fmt: skip
    print("goal: home page first visit <= 130 kB gzipped")


if __name__ == "__main__":
    main()
