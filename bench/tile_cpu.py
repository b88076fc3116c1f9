"""CPU time per tile, by process: the SQL floor's backend, and Komin's gunicorn worker and
its database backends, on the bench database of bench/tiles_geojson.py.

    .venv/bin/python bench/tile_cpu.py [--requests 300] [--tiles z/x/y,...] [--root CHECKOUT]

Wall times on a shared 2-core machine move with everyone's load; CPU time spent per
request hardly does. The kernel counts it per thread in nanoseconds
(/proc/<pid>/task/<tid>/schedstat), so this prints, for each tile: the floor (the tile's
SQL run alone from psycopg2, JIT off: its backend's CPU ms per run), Komin's database
CPU ms per request (all backends of its worker) and Komin's Python CPU ms per request
(the gunicorn worker, one worker, one thread, keep-alive, tile cache off). Needs the
bench database (`make bench-tiles` builds it once) and root or the postgres user to read
the backends' /proc entries. `--root` measures another checkout's code (its SQL, its
server) on this checkout's bench database, for a before/after in one run: e.g.
`--root ../main` then this one, interleaved with `--rounds`."""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import tiles_geojson as tb  # noqa: E402

DEFAULT_TILES = "14/4755/7430,8/74/114,12/1213/1814,12/1216/1814,8/77/113"


def cpu_ns(pid: int) -> int:
    """CPU time of every thread of a process so far, in ns (0 once it has exited)."""
    total = 0
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return 0
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


APP = "komin-tile-cpu"  # libpq's PGAPPNAME, given to the server: its backends by name


def backends(url: str, app: str) -> list[int]:
    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [app],
        )
        pids = [row[0] for row in cursor.fetchall()]
    conn.close()
    return pids


def floor_cpu(url: str, sql: str, params: dict, runs: int) -> float:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute("SET jit = off")
    cursor.execute("SELECT pg_backend_pid()")
    pid = cursor.fetchone()[0]
    for _ in range(5):
        cursor.execute(sql, params)
        cursor.fetchall()
    began = cpu_ns(pid)
    for _ in range(runs):
        cursor.execute(sql, params)
        cursor.fetchall()
    spent = cpu_ns(pid) - began
    conn.close()
    return spent / runs / 1e6


def measure(root: Path, url: str, tiles: list[str], requests: int) -> dict[str, tuple]:
    """CPU ms per tile of one checkout: (floor db, komin py, komin db, status) by tile."""
    code = subprocess.run(
        [str(root / ".venv/bin/python"), "-c", SQL_OF_CHECKOUT, url],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": url, "KOMIN_DEV": "1"},
    )
    source = json.loads(code.stdout.strip().splitlines()[-1])
    port = tb.free_port()
    env = {**os.environ, "DATABASE_URL": url, "KOMIN_DEV": "1", "KOMIN_TILE_CACHE_SECONDS": "0"}
    env["PGAPPNAME"] = app = f"{APP}-{port}"
    gunicorn = subprocess.Popen(
        [str(root / ".venv/bin/gunicorn"), "geoportal.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "1", "--worker-class", "gthread"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    found = {}
    try:
        if not tb._wait(port):
            sys.exit("gunicorn did not start")
        time.sleep(0.5)
        children = subprocess.run(
            ["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True
        )
        worker = int(children.stdout.split()[0])
        for tile in tiles:
            z, x, y = (int(v) for v in tile.split("/"))
            params = {**source["params"], "z": z, "x": x, "y": y, "layer_name": source["layer"]}
            floor = floor_cpu(url, source["sql"], params, requests)
            path = f"/tiles/bench-points/{z}/{x}/{y}.pbf"
            found[tile] = (floor, *komin_cpu(url, app, port, worker, path, requests))
    finally:
        tb._stop(gunicorn)
    return found


# Run by the measured checkout's own Python: its tile SQL for the bench layer.
SQL_OF_CHECKOUT = """
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
sys.path.insert(0, os.getcwd())
import django
django.setup()
from layers.models import Layer
from layers.tiles.build import tile_sql
from layers.tiles.sources import layer_source
source = layer_source(Layer.objects.get(slug="bench-points"))
print(json.dumps({"sql": tile_sql(source), "params": source.params, "layer": source.mvt_layer}))
"""


def komin_cpu(
    url: str, app: str, port: int, worker: int, path: str, runs: int
) -> tuple[float, float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(5):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    began = {pid: cpu_ns(pid) for pid in backends(url, app)}
    began_py = cpu_ns(worker)
    for _ in range(runs):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    py = cpu_ns(worker) - began_py
    # Backends opened meanwhile count from zero; one that closed meanwhile is lost.
    db = sum(cpu_ns(pid) - began.get(pid, 0) for pid in backends(url, app))
    conn.close()
    return py / runs / 1e6, db / runs / 1e6, response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--tiles", default=DEFAULT_TILES)
    parser.add_argument("--root", action="append", type=Path, help="checkout(s) to measure")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    url = tb.bench_url()
    tb.build_data(url, False)
    roots = [r.resolve() for r in (args.root or [ROOT])]
    tiles = args.tiles.split(",")
    print(f"uptime: {tb.uptime()}")
    results: dict = {}
    for _ in range(args.rounds):  # interleaved: a change of load falls on every checkout
        for root in roots:
            for tile, row in measure(root, url, tiles, args.requests).items():
                results.setdefault((root, tile), []).append(row)
    print(f"uptime: {tb.uptime()}")
    print(
        f"{'checkout':<22}{'tile':<16}{'floor db':>10}{'komin py':>10}{'komin db':>10}{'status':>7}"
    )
    for (root, tile), rows in results.items():
        floor, py, db = (statistics.median(r[i] for r in rows) for i in range(3))
        print(f"{root.name:<22}{tile:<16}{floor:>10.3f}{py:>10.3f}{db:>10.3f}{rows[-1][3]:>7}")
    print("CPU ms per tile (median of rounds): floor = its backend; komin py = its gunicorn")
    print("worker (1 worker, 1 thread, keep-alive, tile cache off); komin db = its backends")


if __name__ == "__main__":
    main()
