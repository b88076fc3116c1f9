"""Where a hot request's milliseconds go, in process (Django's test client, no network):

    make bench-hot        # or: .venv/bin/python bench/hot_routes.py [--runs N] [--profile ROUTE]

Routes: an empty tile, a tile of ~1,000 school and report points (tile cache bypassed),
a GeoJSON page of reports with a bbox, and a report submission (routing, duplicate
check, outbox). For the tiles it times the SQL floor (the same SQL from a cursor) and
prints Komin against it; for each route the median wall time and the queries per
request. The middleware fast path for tiles (geoportal/hot_routes.py) is measured on and
off, interleaved. --profile ROUTE prints cProfile's top functions for that route.
Needs the demo data (`make demo`, which the make target runs)."""

import argparse
import cProfile
import io
import math
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")
os.environ["KOMIN_TILE_CACHE_SECONDS"] = "0"  # tiles built on every request
# As deployed (README "Scaling out"): rate limits and cache in Redis, notifications handed
# to a broker (a queue of this bench's own, emptied at the end: nothing is delivered), so
# that a submission is measured without the e-mail work that leaves the request.
# --no-redis measures the database fallback and inline delivery instead.
REDIS = "redis://127.0.0.1:6379/0"
BENCH_QUEUE = f"komin-bench-hot-{os.environ.get('KOMIN_DB_NAME', 'komin')}"
if "--no-redis" not in sys.argv:
    os.environ["KOMIN_REDIS_URL"] = REDIS
    os.environ["KOMIN_BROKER_URL"] = REDIS
    os.environ["KOMIN_JOBS_QUEUE"] = BENCH_QUEUE

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from jobs.models import OutboxMessage  # noqa: E402
from layers.tiles import registry  # noqa: E402
from layers.tiles.build import JIT_OFF, tile_sql  # noqa: E402
from reports.models import Category, Report, ReportUpdate  # noqa: E402

FAST = "geoportal.hot_routes.TileFastPathMiddleware"


def tile_xy(lon, lat, z):
    n = 1 << z
    return int((lon + 180) / 360 * n), int(
        (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    )


def floor_ms(source_name: str, z: int, x: int, y: int, runs: int) -> float:
    source = registry.get(source_name)
    params = {**source.params, "z": z, "x": x, "y": y, "layer_name": source.mvt_layer}
    sql = JIT_OFF + tile_sql(source)
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            began = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchone()
            times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def timed(client: Client, method: str, path: str, runs: int, **extra) -> tuple:
    """Median wall ms, queries, last status and median Python CPU ms of this process (the
    CPU figure hardly moves with the machine's load; the database's own work is not in it)."""
    times, cpu, queries, status = [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = getattr(client, method)(path, **extra)
            if response.streaming:
                b"".join(response.streaming_content)
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        queries, status = len(captured), response.status_code
    return statistics.median(times) * 1000, queries, status, statistics.median(cpu) * 1000


def cleanup() -> int:
    """The bench's reports, their outbox messages and its broker queue are removed."""
    updates = list(
        ReportUpdate.objects.filter(report__description="bench").values_list("pk", flat=True)
    )
    OutboxMessage.objects.filter(payload__update_id__in=updates).delete()
    removed = Report.objects.filter(description="bench").delete()[0]
    if settings.CELERY_BROKER_URL:
        import redis

        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(BENCH_QUEUE)
    return removed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--no-redis", action="store_true", help="database cache, inline mail")
    parser.add_argument("--profile", choices=["empty", "tile", "geojson", "submit"])
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    parser.add_argument("--limit", type=int, default=40, help="profile lines printed")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="profile by this process's CPU time (time waiting on PostgreSQL, Redis or the "
        "machine's other work left out) instead of wall time",
    )
    args = parser.parse_args()
    runs = args.runs
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.9.9.9")
    # A test client builds its middleware chain at its first request, and keeps it.
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != FAST]):
        full_chain = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.9.9.8")
        full_chain.get("/tiles/")
    client.get("/tiles/")

    z = 14
    ex, ey = tile_xy(-75.5, 16.5, z)  # the sea: empty
    tx, ty = tile_xy(-72.335, 18.54, z)  # central Port-au-Prince: schools
    empty = f"/tiles/schools/{z}/{ex}/{ey}.pbf"
    full = f"/tiles/schools/{z}/{tx}/{ty}.pbf"
    geojson = "/api/v1/reports/geojson/?bbox=-72.36,18.52,-72.30,18.56"
    category = Category.objects.filter(active=True, jurisdiction__isnull=True).first()
    body = {"category": category.code, "lon": -72.3388, "lat": 18.5392, "description": "bench"}
    body["answers"] = {
        q.code: (q.values[0]["key"] if q.values else "1")
        for q in category.questions.filter(required=True)
    }

    routes = {
        "empty": lambda n, c=client: timed(c, "get", empty, n),
        "tile": lambda n, c=client: timed(c, "get", full, n),
        "geojson": lambda n: timed(client, "get", geojson, n),
        "submit": lambda n: timed(
            client, "post", "/api/v1/reports/", n, data=body, content_type="application/json"
        ),
    }
    limits = override_settings(
        KOMIN_RATE_ANON_REPORTS="100000/hour",
        KOMIN_RATE_REPORT_ATTEMPTS="100000/hour",
        KOMIN_RATE_ANON_READS="100000/minute",
    )
    if args.profile:
        with limits:
            routes[args.profile](2)  # warm
            profiler = cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()
            profiler.enable()
            _, _, status, _ = routes[args.profile](runs)
            profiler.disable()
        cleanup()
        print(f"{args.profile}: last status {status}")
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.limit)
        print(out.getvalue())
        return

    print(f"machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        "cache and rate limits: "
        + (
            "database table, notifications delivered inline"
            if args.no_redis
            else f"Redis, notifications queued on the broker ({BENCH_QUEUE}, not delivered)"
        )
    )
    with limits:
        rows = {}
        for _ in range(3):  # rounds, interleaved: load changes fall on both alike
            for label, chain in (("fast path", client), ("full chain", full_chain)):
                for name in ("empty", "tile"):
                    rows.setdefault((label, name), []).append(routes[name](runs // 3, chain))
            for name in ("geojson", "submit"):
                rows.setdefault(("", name), []).append(routes[name](runs // 3))
        floors = {
            "empty": floor_ms("schools", z, ex, ey, runs),
            "tile": floor_ms("schools", z, tx, ty, runs),
        }
    before = cleanup()
    print(
        f"{'route':<10}{'middleware':<12}{'median ms':>10}{'CPU ms':>8}{'queries':>8}"
        f"{'status':>7}{'SQL floor':>10}  goal"
    )
    for (label, name), found in rows.items():
        median = statistics.median(r[0] for r in found)
        queries, status = found[-1][1], found[-1][2]
        cpu = statistics.median(r[3] for r in found)
        floor = floors.get(name)
        goal = ""
        if floor is not None:
            goal = f"{median / floor:4.2f}x floor, +{median - floor:.1f} ms"
        print(
            f"{name:<10}{label:<12}{median:>10.2f}{cpu:>8.2f}{queries:>8}{status:>7}"
            f"{(f'{floor:.2f}' if floor else '-'):>10}  {goal}"
        )
    print(f"(bench reports removed: {before} rows)")


if __name__ == "__main__":
    main()
