"""Run by tests/scale/test_pgbouncer.py with DATABASE_URL through PgBouncer (transaction
mode, one server connection) and KOMIN_PGBOUNCER=1: a report, a tile, an import and an
analytics query, each through Django as in production. Prints one JSON object."""

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from layers.models import Feature  # noqa: E402
from reports.models import Category, Report  # noqa: E402
from tests.scale.replica_probe_data import ensure_territory  # noqa: E402

ensure_territory()
Category.objects.get_or_create(code="probe-pothole", defaults={"name_fr": "Nid-de-poule"})
client = Client(REMOTE_ADDR="10.0.1.1", HTTP_HOST="localhost")
out: dict = {
    "server_side_cursors_disabled": connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"]
}

before = Report.objects.count()
response = client.post(
    "/api/v1/reports/",
    {"category": "probe-pothole", "lon": -72.3388, "lat": 18.5392, "description": "Twou"},
    content_type="application/json",
)
out["report"] = [response.status_code, Report.objects.count() - before]

response = client.get("/tiles/reports/14/4899/7333.pbf")
out["tile"] = [response.status_code, len(response.content)]

points = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": f"Pwen {n}", "ref": n},
            "geometry": {"type": "Point", "coordinates": [-72.34 + n / 1000, 18.54]},
        }
        for n in range(5)
    ],
}
with tempfile.NamedTemporaryFile("w", suffix=".geojson", delete=False) as handle:
    json.dump(points, handle)
call_command(
    "import_layer", handle.name, layer="probe-points", id_field="ref", force=True, stdout=sys.stderr
)
os.unlink(handle.name)
out["import"] = Feature.objects.filter(layer__slug="probe-points").count()

response = client.get("/api/v1/analytics/public/rates/?level=departement")
body = response.json() if response.status_code == 200 else {}
out["analytics"] = [
    response.status_code,
    [f["properties"].get("pcode") for f in body.get("features", [])],
]

out["iterator"] = sum(1 for _ in Report.objects.all().iterator(chunk_size=2))
print(json.dumps(out))
