"""Komin behind PgBouncer in transaction mode (Debian's pgbouncer, started here on a free
port, one server connection for every client): a report, a tile, an import and an
analytics query go through, and no session state is left on the server connection."""

import json
import subprocess

import psycopg2
import pytest

from tests.scale.clusters import PYTHON, ROOT, clusters, django_env, start_pgbouncer


@pytest.fixture(scope="module")
def bouncer(tmp_path_factory):
    process, url = start_pgbouncer(clusters()["primary"], tmp_path_factory.mktemp("pgbouncer"))
    yield url
    process.terminate()
    process.wait(timeout=10)


def settings_of(url: str) -> dict:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        found = {}
        for name in ("jit", "lock_timeout", "work_mem", "enable_mergejoin", "statement_timeout"):
            cursor.execute(f"SHOW {name}")
            found[name] = cursor.fetchone()[0]
    conn.close()
    return found


def test_komin_works_behind_pgbouncer_in_transaction_mode(bouncer):
    done = subprocess.run(
        [str(PYTHON), "tests/scale/pgbouncer_probe.py"],
        cwd=ROOT,
        env=django_env(bouncer, KOMIN_PGBOUNCER="1", KOMIN_TILE_CACHE_SECONDS="0"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["server_side_cursors_disabled"] is True
    assert out["report"] == [201, 1]
    status, size = out["tile"]
    assert status == 200 and size > 0  # the report just filed is on it
    assert out["import"] == 5
    assert out["analytics"] == [200, ["HT01"]]
    assert out["iterator"] >= 1
    # The one server connection every client shared carries nothing over.
    assert settings_of(bouncer) == settings_of(clusters()["primary"])
