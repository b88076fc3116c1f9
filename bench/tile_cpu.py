"""CPU time per tile, by process: the SQL floor's backend, and Komin's gunicorn worker and
its database backends, on the bench database of bench/tiles_geojson.py.

    .venv/bin/python bench/tile_cpu.py [--requests 300] [--tiles z/x/y,...]

Wall times on a shared 2-core machine move with everyone's load; CPU time spent per
request hardly does. The kernel counts it per thread in nanoseconds
(/proc/<pid>/task/<tid>/schedstat), so this prints, for each tile: the floor (the tile's
SQL run alone from psycopg2, JIT off: its backend's CPU ms per run), Komin's database
CPU ms per request (all backends of its worker) and Komin's Python CPU ms per request
(the gunicorn worker, one worker, one thread, keep-alive, tile cache off). Needs the
bench database (`make bench-tiles` builds it once) and root or the postgres user to read
the backends' /proc entries."""

import argparse
import http.client
import os
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
    """CPU time of every thread of a process so far, in ns."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass
    return total


APP = "komin-tile-cpu"  # libpq's PGAPPNAME, given to the server: its backends by name


def backends(url: str) -> list[int]:
    conn = psycopg2.connect(url)
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = %s",
            [APP],
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


def komin_cpu(url: str, port: int, worker: int, path: str, runs: int) -> tuple[float, float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(5):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    pids = backends(url)
    began_py, began_db = cpu_ns(worker), sum(cpu_ns(p) for p in pids)
    for _ in range(runs):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
    py = cpu_ns(worker) - began_py
    db = sum(cpu_ns(p) for p in pids) - began_db
    conn.close()
    return py / runs / 1e6, db / runs / 1e6, response.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--tiles", default=DEFAULT_TILES)
    args = parser.parse_args()
    url = tb.bench_url()
    layers = tb.build_data(url, False)
    source, tile_query, _, _ = tb.komin_sql(url, layers["bench-points"])
    port = tb.free_port()
    env = {**os.environ, "DATABASE_URL": url, "KOMIN_DEV": "1", "KOMIN_TILE_CACHE_SECONDS": "0"}
    env["PGAPPNAME"] = APP
    gunicorn = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "geoportal.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", "1", "--threads", "1", "--worker-class", "gthread"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if not tb._wait(port):
            sys.exit("gunicorn did not start")
        time.sleep(0.5)
        worker = int(
            subprocess.run(
                ["pgrep", "-P", str(gunicorn.pid)], capture_output=True, text=True
            ).stdout.split()[0]
        )
        print(f"uptime: {tb.uptime()}")
        print(f"{'tile':<18}{'floor db':>10}{'komin db':>10}{'komin py':>10}{'status':>7}")
        for tile in args.tiles.split(","):
            z, x, y = (int(v) for v in tile.split("/"))
            params = {**source.params, "z": z, "x": x, "y": y, "layer_name": source.mvt_layer}
            floor = floor_cpu(url, tile_query, params, args.requests)
            path = f"/tiles/bench-points/{z}/{x}/{y}.pbf"
            py, db, status = komin_cpu(url, port, worker, path, args.requests)
            print(f"{tile:<18}{floor:>10.3f}{db:>10.3f}{py:>10.3f}{status:>7}", flush=True)
        print("CPU ms per tile: floor = its backend; komin db = its backends; py = its worker")
    finally:
        tb._stop(gunicorn)


if __name__ == "__main__":
    main()
