"""Point-in-polygon lookup benchmark: 1,000 random points inside Haiti, looked up in the
database (the selector's SQL, timed from psycopg2) and over HTTP (gunicorn, as in
production). Prints median and p95 in milliseconds. Goal: p95 under 5 ms over HTTP.

    make bench-lookup            # or: .venv/bin/python bench/lookup.py [--points N]

Needs the demo boundaries loaded (make run / manage.py load_demo). Starts its own
gunicorn on 127.0.0.1:8099 unless --url is given.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from geoportal.sql import fetch_value, sql_file  # noqa: E402
from layers.selectors.areas import SQL_DIR  # noqa: E402
from layers.selectors.generations import current_generation_id  # noqa: E402


def random_points(count: int, seed: int = 42) -> list[tuple[float, float]]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT ST_X(p.geom), ST_Y(p.geom)
               FROM ST_Dump(ST_GeneratePoints(
                   (SELECT ST_Union(geom_mid) FROM layers_adminarea
                    WHERE level = 'departement' AND generation_id = %s),
                   %s, %s)) p""",
            [current_generation_id(), count, seed],
        )
        return cursor.fetchall()


def summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(len(ms) * 0.95) - 1]
    return f"{label:<28} n={len(ms):>5}  median {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms"


def time_database(points) -> list[float]:
    sql = sql_file(SQL_DIR / "lookup.sql")
    generation = None  # as the API's default: the SQL finds the current generation
    timings = []
    with connection.cursor() as cursor:
        for lon, lat in points:
            start = time.perf_counter()
            cursor.execute(sql, {"lon": lon, "lat": lat, "generation": generation})
            rows = cursor.fetchall()
            timings.append(time.perf_counter() - start)
            assert rows, (lon, lat)
    return timings


def time_http(points, base: str) -> list[float]:
    parts = urlsplit(base)
    timings = []
    for lon, lat in points:
        start = time.perf_counter()
        conn = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=10)
        conn.request("GET", f"/api/v1/areas/lookup/?lat={lat:.6f}&lon={lon:.6f}")
        response = conn.getresponse()
        response.read()
        conn.close()
        timings.append(time.perf_counter() - start)
        assert response.status == 200, response.status
    return timings


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "geoportal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/schema/")
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--url", help="Benchmark a running server instead of starting one")
    args = parser.parse_args()
    points = random_points(args.points)
    generations = fetch_value("SELECT count(*) FROM layers_boundarygeneration")
    print(
        f"lookup benchmark: {len(points)} random points inside Haiti (seed 42), "
        f"current generation {current_generation_id()} of {generations}"
    )
    time_database(points[:50])  # warm the cache
    print(summary("database (lookup.sql)", time_database(points)))
    server = None if args.url else start_server(8099)
    try:
        base = args.url or "http://127.0.0.1:8099"
        time_http(points[:50], base)
        print(summary(f"HTTP {base}", time_http(points, base)))
    finally:
        if server:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
