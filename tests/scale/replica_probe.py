"""Run by tests/scale/test_replicas.py in a process of its own, with DATABASE_URL on the
private primary of scripts/replica.sh and KOMIN_REPLICA_URLS on its streaming replica:
requests through Django's test client, every query recorded with the alias it ran on.
Prints one JSON object of findings."""

import json
import os
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402

from geoportal import replicas  # noqa: E402
from reports.models import Category, Report  # noqa: E402
from tests.scale.replica_probe_data import ensure_public_layer, ensure_territory  # noqa: E402

BBOX = "-72.40,18.50,-72.30,18.60"
POINT = (-72.3388, 18.5392)
out: dict = {}


@contextmanager
def recorded():
    """The aliases the queries of the block ran on."""
    seen: list[str] = []

    def wrapper_for(alias):
        def wrapper(execute, sql, params, many, context):
            seen.append((alias, " ".join(sql.split())))
            return execute(sql, params, many, context)

        return wrapper

    with ExitStack() as stack:
        for alias in connections:
            stack.enter_context(connections[alias].execute_wrapper(wrapper_for(alias)))
        yield seen


def get(client, url):
    with recorded() as seen:
        response = client.get(url)
        body = b"".join(response) if response.streaming else response.content
    return response.status_code, body, where(seen)


# The router's own checks and the rate limits: on the primary by design.
OWN = ("SELECT pg_is_in_recovery", "SELECT pg_wal_lsn_diff", "SELECT 1", "-- Count one hit")


def cache_query(sql: str) -> bool:
    """A query of the cache table (read-your-writes pins, cached extents): the cache is
    written by every process, so it lives on the primary, whatever the route."""
    return '"komin_cache"' in sql


def where(seen):
    """Aliases of the queries that read the data asked for (not the router's own checks,
    the rate limits and the cache table, which use the primary)."""
    data = [(alias, sql) for alias, sql in seen if not sql.startswith(OWN) and not cache_query(sql)]
    if os.environ.get("PROBE_DEBUG"):
        print([(alias, sql[:60]) for alias, sql in data], file=sys.stderr)
    return sorted({alias for alias, _ in data})


def replica_sql(sql):
    with connections["replica1"].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def script(*args):
    subprocess.run([str(ROOT / "scripts" / "replica.sh"), *args], check=True, capture_output=True)


ensure_territory()
Category.objects.get_or_create(code="probe-pothole", defaults={"name_fr": "Nid-de-poule"})
citizen = Client(REMOTE_ADDR="10.0.0.1", HTTP_HOST="localhost")
other = Client(REMOTE_ADDR="10.0.0.2", HTTP_HOST="localhost")

# The replica has replayed what the set-up wrote (else its first check may skip it).
deadline = time.monotonic() + 10
while replicas.lag("replica1")[1] and time.monotonic() < deadline:
    time.sleep(0.02)
replicas.forget()

# Where reads go: stale-tolerant routes to the replica, others to the primary.
out["tile"] = get(other, "/tiles/reports/14/4899/7333.pbf")[::2]
out["geojson"] = get(other, f"/api/v1/reports/geojson/?bbox={BBOX}")[::2]
# /ogc/collections with a public layer whose extent is not cached yet (as after a layer
# changed): the extent is read on the replica and written to the cache table on the primary.
ensure_public_layer()
cache.clear()
with recorded() as seen:
    out["ogc"] = get(other, "/ogc/collections")[::2]
out["ogc_cache"] = [
    sorted({alias for alias, sql in seen if cache_query(sql)}),
    any(sql.startswith('INSERT INTO "komin_cache"') for _, sql in seen),
]
out["categories"] = get(other, "/api/v1/categories/")[::2]

# A report: written on the primary.
with recorded() as seen:
    response = citizen.post(
        "/api/v1/reports/",
        {"category": "probe-pothole", "lon": POINT[0], "lat": POINT[1], "description": "Twou"},
        content_type="application/json",
    )
assert response.status_code == 201, response.content
reference = response.json()["reference"]
out["post"] = [response.status_code, sorted({alias for alias, _ in seen})]

# Its author reads it back at once: from the primary (read-your-writes).
status, body, aliases = get(citizen, f"/api/v1/reports/geojson/?bbox={BBOX}")
out["author_reads"] = [status, aliases, reference in body.decode()]

# Another client reads the replica, which shows the report once it has caught up.
start = time.monotonic()
visible = False
while time.monotonic() - start < 10 and not visible:
    status, body, aliases = get(other, f"/api/v1/reports/geojson/?bbox={BBOX}")
    visible = reference in body.decode()
out["other_reads"] = [status, aliases, visible, round(time.monotonic() - start, 3)]

# A lagging replica is skipped: replay paused, the primary writes on.
replica_sql("SELECT pg_wal_replay_pause()")
Report.objects.filter(reference=reference).update(description="Twou gwo")
with connections["default"].cursor() as cursor:
    cursor.execute("SELECT pg_switch_wal()")  # and the WAL moves on for sure
replicas.forget()
from django.conf import settings  # noqa: E402

settings.KOMIN_REPLICA_MAX_LAG_BYTES = 0
out["lagging"] = get(other, f"/api/v1/reports/geojson/?bbox={BBOX}")[::2]
replica_sql("SELECT pg_wal_replay_resume()")
settings.KOMIN_REPLICA_MAX_LAG_BYTES = 16 * 1024 * 1024
replicas.forget()

# The replica stops between two checks: the request is answered from the primary.
get(other, f"/api/v1/reports/geojson/?bbox={BBOX}")  # a live replica connection
script("stop-replica")
try:
    status, body, aliases = get(other, f"/api/v1/reports/geojson/?bbox={BBOX}")
    out["replica_stopped"] = [status, aliases, reference in body.decode()]
    status, body, aliases = get(other, "/tiles/reports/14/4899/7333.pbf")
    out["replica_stopped_tile"] = [status, aliases]
finally:
    script("start-replica")
print(json.dumps(out))
