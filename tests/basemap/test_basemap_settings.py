"""Which basemap the pages get: OpenStreetMap's tile server in production unless told
otherwise, none in development and tests, the local one when chosen."""

import json
import subprocess
import sys

import pytest

from tests.geoportal.test_production_settings import ROOT, production_env

pytestmark = pytest.mark.django_db

SHOW = (
    "from django.conf import settings as s; import json;"
    " print(json.dumps([s.KOMIN_BASEMAP, s.KOMIN_BASEMAP_URL]))"
)


def basemap_settings(env: dict) -> list[str]:
    env = {k: v for k, v in env.items() if not k.startswith("KOMIN_BASEMAP")} | {
        k: v for k, v in env.items() if k.startswith("KOMIN_BASEMAP") and v != "-"
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SHOW],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_defaults_to_openstreetmap_and_local_turns_it_off():
    assert basemap_settings(production_env(KOMIN_BASEMAP="-", KOMIN_BASEMAP_URL="-")) == [
        "raster",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    ]
    assert basemap_settings(production_env(KOMIN_BASEMAP="local", KOMIN_BASEMAP_URL="-")) == [
        "local",
        "",
    ]


def test_tests_and_development_have_no_outside_basemap(client, settings):
    assert settings.KOMIN_BASEMAP == "none" and settings.KOMIN_BASEMAP_URL == ""
    page = client.get("/").content.decode()
    assert '"kind": "none"' in page or '"kind":"none"' in page
    assert "tile.openstreetmap.org" not in client.get("/")["Content-Security-Policy"]
