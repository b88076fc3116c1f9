"""The duplicate check where open reports pile up on one spot (a flooded bridge in a storm):

    .venv/bin/python bench/duplicate_pileup.py [--piles 1000 10000] [--runs 30]

In a transaction that is rolled back at the end (the development database is left as it
was), it piles N open reports of one category on one point of Port-au-Prince, and N of
another category on the same point, then times, interleaved, the check a submission runs
there (the query of the function reports_nearby_open, migration reports 0013: candidates
read from the (category, location) index in distance order) against the query as it was
before 3 December 2026 (every report in the box read by a bitmap scan and measured on the
sphere), and prints the medians. Both run as plain statements, planned each time, so that
only the candidates differ (a submission calls the function, whose plan is kept). Both
must answer ten reports of the category, all on the point."""

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")

# The candidates as they were read before: every open report of the category in the box,
# each measured on the sphere. The rest of the query (what the public sees of them) is
# today's, so that both answer the same columns.
BEFORE_NEAR = """near AS (
    SELECT r.*, r.location::geography <-> here.point::geography AS metres
    FROM reports_report r, here
    WHERE r.category_id = %(category)s
      AND r.status = ANY(%(open)s)
      AND NOT r.hidden
      AND r.location && ST_MakeEnvelope(%(xmin)s, %(ymin)s, %(xmax)s, %(ymax)s, 4326)
      AND ST_DWithin(r.location::geography, here.point::geography, %(radius)s)
      AND r.id IS DISTINCT FROM %(exclude)s
    ORDER BY metres, r.id
    LIMIT %(limit)s
)
"""
# The function's arguments as the parameters of nearby_params().
ARGUMENTS = {
    "in_category": "category",
    "in_open": "open",
    "in_lon": "lon",
    "in_lat": "lat",
    "in_radius": "radius",
    "in_west": "xmin",
    "in_south": "ymin",
    "in_east": "xmax",
    "in_north": "ymax",
    "in_excluded": "exclude",
    "in_limit": "limit",
    "in_candidates": "candidates",
}
PILE = """
INSERT INTO reports_report
    (reference, token, category_id, jurisdiction_id, location, address, description,
     answers, status, priority, support_count, hidden, hidden_reason, reporter_name,
     reporter_email, reporter_phone, source, media_url, language, created_at, updated_at,
     version)
SELECT %(tag)s || g, 'pile-' || %(tag)s || g, %(category)s,
       (SELECT min(id) FROM communes_jurisdiction), ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326),
       '', 'bench pile', '{}', 'submitted', 2, 0, false, '', '', '', '', 'api', '', 'fr',
       now(), now(), 1
FROM generate_series(1, %(count)s) g
"""


def nearby_query(cursor) -> str:
    """The query of reports_nearby_open as the database holds it, as a statement."""
    cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = 'reports_nearby_open'")
    source = cursor.fetchone()[0]
    start, end = source.index("RETURN QUERY") + len("RETURN QUERY"), source.rindex("END;")
    body = source[start : source.rindex(";", start, end)]
    return re.sub(r"\bin_\w+\b", lambda m: f"%({ARGUMENTS[m[0]]})s", body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--piles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection, transaction

    from reports.models import Category
    from reports.selectors.reports import nearby_params

    lon, lat = -72.3388, 18.5392
    pothole, other = Category.objects.filter(active=True).order_by("id")[:2]
    params = nearby_params(category=pothole, lon=lon, lat=lat)
    print(f"uptime: {os.popen('uptime').read().strip()}")  # nosec B605: a fixed command
    with transaction.atomic(), connection.cursor() as cursor:
        now = nearby_query(cursor)
        before = now[: now.index("near AS (")] + BEFORE_NEAR + now[now.index("SELECT n.id") :]
        piled = 0
        for size in sorted(args.piles):
            for category, tag in ((pothole, "P"), (other, "O")):
                cursor.execute(
                    PILE,
                    {"tag": f"PILE-{tag}{size}-", "category": category.pk, "count": size - piled}
                    | {"lon": lon, "lat": lat},
                )
            piled = size
            cursor.execute("ANALYZE reports_report")
            times: dict[str, list[float]] = {"now": [], "before": []}
            for _ in range(args.runs):
                for label, sql in (("now", now), ("before", before)):
                    began = time.perf_counter()
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                    times[label].append((time.perf_counter() - began) * 1000)
                    if len(rows) != 10:
                        raise SystemExit(f"{label}: {len(rows)} reports, not 10")
            fast, slow = (statistics.median(times[k]) for k in ("now", "before"))
            print(
                f"{size:>6} open reports of {pothole.code} and {size} of {other.code} on one "
                f"point: the check now {fast:.2f} ms; before {slow:.2f} ms (median of "
                f"{args.runs}, interleaved; 10 reports answered by both)"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
