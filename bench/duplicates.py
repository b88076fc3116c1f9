"""The duplicate check of a new report at national scale: the open reports of its
category within its radius, on the 1M-report database of `make bench-analytics`:

    make bench-duplicates     # or: .venv/bin/python bench/duplicates.py [--points N]

For N points drawn from the reports themselves (dense Port-au-Prince as well as empty
places), it times, interleaved, the query a submission runs (reports/sql/nearby_open.sql:
a box around the point lets the GiST index on the location find the candidates, then
the geography test) against the radius test alone as it ran before (every open report of
the category measured), checks that both find the same reports, and prints the medians.
Builds the database first if it is missing (as bench/analytics.py does, several
minutes)."""

import argparse
import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path


def _bench_analytics():
    """bench/analytics.py under a name of its own: imported as `analytics`, it took the
    place of the Django app of that name in sys.modules, and `migrate` then skipped the
    app's migrations (the rates rollup's triggers were missing from a new database)."""
    spec = importlib.util.spec_from_file_location(
        "bench_analytics", Path(__file__).resolve().parent / "analytics.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_analytics = _bench_analytics()

RADIUS_ONLY = """
SELECT r.id FROM reports_report r
WHERE r.category_id = %(category)s AND r.status = ANY(%(open)s) AND NOT r.hidden
  AND ST_DWithin(r.location::geography,
                 ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography, %(radius)s)
  AND r.id IS DISTINCT FROM %(exclude)s
ORDER BY r.location::geography <-> ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography,
         r.id
LIMIT %(limit)s
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=20)
    parser.add_argument("--reports", type=int, default=1_000_000)
    args = parser.parse_args()
    url = bench_analytics.bench_url()
    bench_analytics.ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KOMIN_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from layers.demo import load

    load(stdout=sys.stdout)
    count = bench_analytics.load_reports(args.reports)
    from geoportal.sql import fetch_dicts, sql_file
    from reports.models import Category
    from reports.selectors.reports import SQL_DIR, nearby_params
    from reports.workflow import OPEN

    statuses = list(OPEN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM reports_report WHERE status = ANY(%s)", [statuses])
        if cursor.fetchone()[0] == 0:
            # bench-analytics makes resolved reports only: count those as the candidates
            # (the statuses are a parameter of the query; its plan does not depend on them).
            cursor.execute("SELECT array_agg(DISTINCT status) FROM reports_report")
            statuses = cursor.fetchone()[0]
        cursor.execute(
            "SELECT category_id, count(*) FROM reports_report WHERE status = ANY(%s)"
            " AND NOT hidden GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
            [statuses],
        )
        category_id, open_count = cursor.fetchone()
        cursor.execute(
            "SELECT ST_X(location), ST_Y(location) FROM reports_report"
            " WHERE category_id = %s ORDER BY md5(id::text) LIMIT %s",
            [category_id, args.points],
        )
        points = cursor.fetchall()
    category = Category.objects.get(pk=category_id)
    print(
        f"{count} reports; category {category.code}: {open_count} candidates "
        f"(statuses {', '.join(statuses)}), radius "
        f"{category.duplicate_radius_m} m; {len(points)} points; "
        f"uptime: {os.popen('uptime').read().strip()}"  # nosec B605: a fixed command
    )

    def params(lon, lat):
        return nearby_params(category=category, lon=lon, lat=lat, limit=5) | {"open": statuses}

    def radius_only(lon, lat):
        with connection.cursor() as cursor:
            cursor.execute(RADIUS_ONLY, params(lon, lat))
            return [row[0] for row in cursor.fetchall()]

    submitted = sql_file(SQL_DIR / "nearby_open.sql")  # what nearby_open() runs

    def indexed(lon, lat):
        return [row["id"] for row in fetch_dicts(submitted, params(lon, lat))]

    times = {"indexed": [], "radius only": []}
    found = 0
    for lon, lat in points:
        results = {}
        for label, function in (("indexed", indexed), ("radius only", radius_only)):
            start = time.perf_counter()
            results[label] = function(lon, lat)
            times[label].append((time.perf_counter() - start) * 1000)
        if results["indexed"] != results["radius only"]:
            raise SystemExit(f"different reports at ({lon}, {lat}): {results}")
        found += len(results["indexed"])
    fast, slow = (statistics.median(times[k]) for k in ("indexed", "radius only"))
    print(f"same reports found by both at every point ({found} in all, at most 5 a point)")
    print(
        f"duplicate check, median of {len(points)} points (interleaved): as a submission runs "
        f"it {fast:.2f} ms; radius test alone (before) {slow:.1f} ms ({slow / fast:.0f}x)"
    )


if __name__ == "__main__":
    main()
