"""Read replicas on a real streaming pair (scripts/replica.sh, started here): where each
query goes, read-your-writes, catching up, and a lagging or stopped replica skipped.
The requests run in tests/scale/replica_probe.py, a process whose primary is the pair's."""

import json
import subprocess

import pytest

from tests.scale.clusters import PYTHON, ROOT, clusters, django_env


@pytest.fixture(scope="module")
def probe():
    pair = clusters()
    env = django_env(
        pair["primary"], KOMIN_REPLICA_URLS=pair["replica"], KOMIN_TILE_CACHE_SECONDS="0"
    )
    done = subprocess.run(
        [str(PYTHON), "tests/scale/replica_probe.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_stale_tolerant_reads_go_to_the_replica_others_to_the_primary(probe):
    assert probe["tile"][1] == ["replica1"]
    assert probe["geojson"] == [200, ["replica1"]]
    assert probe["ogc"] == [200, ["replica1"]]
    # Its layer's extent, not cached yet, went to the cache table: on the primary (the
    # primary query once seen in full-suite runs, after test_pgbouncer's import).
    assert probe["ogc_cache"] == [["default"], True]
    assert probe["categories"] == [200, ["default"]]  # not a stale-tolerant route


def test_a_report_is_written_on_the_primary_and_its_author_reads_it_there(probe):
    assert probe["post"] == [201, ["default"]]
    assert probe["author_reads"] == [200, ["default"], True]


def test_the_report_reaches_the_replica_once_it_has_caught_up(probe):
    status, aliases, visible, seconds = probe["other_reads"]
    assert (status, visible, aliases) == (200, True, ["replica1"])
    assert seconds < 10


def test_a_lagging_replica_is_skipped(probe):
    assert probe["lagging"] == [200, ["default"]]


def test_a_stopped_replica_costs_nothing_but_speed(probe):
    status, aliases, visible = probe["replica_stopped"]
    assert (status, visible) == (200, True)
    assert "default" in aliases  # the failed replica query is answered again there
    assert probe["replica_stopped_tile"] == [200, ["default"]]  # the report is on it
