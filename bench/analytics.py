"""Analytics benchmark: 1M reports over Haiti in a separate database, then timings.

    make bench-analytics            # or: .venv/bin/python bench/analytics.py [--reports N]
                                    #     [--only rates,dbscan,coverage,zonal]

It creates (once) the database `<your database>_bench_analytics` on the server of
`.local/database_url` (or BENCH_DATABASE_URL), migrates it, loads the Haiti boundaries and
population with the project's loaders, generates reports with a fixed seed (points drawn
inside each section in proportion to its population, by ST_GeneratePoints), loads the 739
Cap-Haïtien water points that lie in commune HT0311 and a synthetic population GeoTIFF
over Haiti (about 100 m cells, fixed seed), and prints the time of each analysis
(best of 3 after one warm-up run). Your own database and .local/database_url are untouched.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_SUFFIX = "_bench_analytics"  # after the checkout's own database name (KOMIN_DB_NAME)
SEED = 20260101


def bench_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    url = os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()
    parts = urlparse(url)
    return urlunparse(parts._replace(path=parts.path + BENCH_SUFFIX))


def ensure_database(url: str) -> None:
    import psycopg2

    parts = urlparse(url)
    admin = psycopg2.connect(urlunparse(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [parts.path[1:]])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{parts.path[1:]}"')
    admin.close()
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.close()


GENERATE_SQL = """
SELECT setseed(0.4242);
WITH sections AS (
    SELECT a.id, a.parent_id, a.geom,
           greatest(1, round(%(n)s::numeric * a.population / sum(a.population) OVER ()))::int AS k
    FROM layers_adminarea a
    WHERE a.level = 'section' AND a.population > 0
      AND a.generation_id = (SELECT max(id) FROM layers_boundarygeneration)
),
points AS (
    SELECT s.id AS section_id, s.parent_id AS commune_id, (ST_Dump(ST_GeneratePoints(s.geom, s.k, %(seed)s))).geom AS location
    FROM sections s
),
cats AS (SELECT array_agg(id ORDER BY code) AS ids FROM reports_category)
INSERT INTO reports_report (reference, token, category_id, location, address, description,
    answers, status, priority, section_id, commune_id, departement_id, support_count, hidden,
    reporter_name, reporter_email, reporter_phone, created_at, updated_at, resolved_at, version,
    jurisdiction_id, hidden_reason, source, language, media_url)
SELECT 'B' || row_number() OVER (), md5(random()::text || clock_timestamp()::text),
       -- p.section_id ties each draw to its row: uncorrelated, the subquery and the lateral
       -- below ran once, and every report had one category, one status and one date.
       (SELECT ids[1 + floor(random() * array_length(ids, 1) + 0 * p.section_id)::int] FROM cats),
       p.location, '', '', '{}', st.status, 2, p.section_id, p.commune_id,
       (SELECT c.parent_id FROM layers_adminarea c WHERE c.id = p.commune_id), 0, random() < 0.01,
       '', '', '', st.created, now(),
       CASE WHEN st.status IN ('resolved', 'closed') THEN st.created + (random() * 400) * interval '1 hour' END, 1,
       %(jurisdiction)s, '', 'demo', 'fr', ''
FROM points p
CROSS JOIN LATERAL (
    SELECT (ARRAY['submitted','acknowledged','in_progress','resolved','closed','resolved','closed','not_responsible'])[1 + floor(random() * 8 + 0 * p.section_id)::int] AS status,
           timestamptz '2025-01-01' + random() * interval '365 days' AS created
    OFFSET 0
) st;
ANALYZE reports_report;
"""
# The boundaries were just loaded: without statistics the planner takes the 2,865 areas
# for 23 (autovacuum gets to them later, a timed run would not wait for it).
ANALYZE_SQL = "ANALYZE layers_adminarea; ANALYZE layers_adminareapart; ANALYZE reports_category"


# Through the model, so that its defaults fill the columns added since (translations...).
CATEGORIES = (("pothole", 72), ("water", 48), ("light", 168), ("waste", 24), ("drain", None))


def ensure_categories() -> None:
    from reports.models import Category

    for code, sla in CATEGORIES:
        names = {f"name_{lang}": code for lang in ("fr", "ht", "en")}
        Category.objects.get_or_create(
            code=code, defaults={**names, "duplicate_radius_m": 50, "sla_hours": sla}
        )


ROLLUP_TRIGGERS = ("analytics_rates_report_written", "analytics_rates_report_changed")


def load_reports(n: int, regenerate: bool = False) -> int:
    from django.db import connection, transaction

    from communes.selectors import default_jurisdiction

    with connection.cursor() as cursor:
        cursor.execute(ANALYZE_SQL)
        if regenerate:
            cursor.execute("TRUNCATE reports_report, analytics_ratesdirty CASCADE")
        cursor.execute("SELECT count(*) FROM reports_report")
        have = cursor.fetchone()[0]
        if have:
            return have
        with transaction.atomic():
            jurisdiction = default_jurisdiction().pk
            ensure_categories()
            # A bulk load: the rollup's triggers are off, and the rollup is rebuilt after.
            for trigger in ROLLUP_TRIGGERS:
                cursor.execute(f"ALTER TABLE reports_report DISABLE TRIGGER {trigger}")
            cursor.execute(GENERATE_SQL, {"n": n, "seed": SEED, "jurisdiction": jurisdiction})
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign keys first
            for trigger in ROLLUP_TRIGGERS:
                cursor.execute(f"ALTER TABLE reports_report ENABLE TRIGGER {trigger}")
        cursor.execute("SELECT count(*) FROM reports_report")
        return cursor.fetchone()[0]


def load_water_points():
    """The mWater points of Cap-Haïtien inside commune HT0311, read with GDAL and reprojected."""
    from django.contrib.gis.gdal import DataSource

    from layers.datasets import get_dataset
    from layers.geometry import to_wgs84
    from layers.models import Feature, Layer
    from layers.selectors.generations import areas_of

    layer, created = Layer.objects.get_or_create(
        slug="bench-water-points", defaults={"title": "Water points (bench)"}
    )
    if not created and layer.features.exists():
        return layer.features.count()
    commune = areas_of().get(pcode="HT0311").geom
    dataset = get_dataset("cap-haitien-waterpoints-bench")
    dataset.verify()
    path = dataset.path(dataset.files[0])
    source = DataSource(str(path))
    rows = []
    for feature in source[0]:
        geom = feature.geom.geos
        geom.srid = source[0].srs.srid or 32618
        geom = to_wgs84(geom)
        if geom.geom_type == "MultiPoint" and len(geom) == 1:  # the layer holds Points
            geom = geom[0]
            geom.srid = 4326
        if geom.intersects(commune):
            rows.append(
                Feature(layer=layer, geom=geom, attributes={"type": str(feature.get("Type"))})
            )
    Feature.objects.bulk_create(rows)
    return len(rows)


def load_population_raster():
    import numpy as np
    import rasterio
    from rasterio.transform import from_origin

    from analytics.models import RasterLayer
    from analytics.services.rasters import raster_create

    if RasterLayer.objects.filter(slug="bench-population").exists():
        return RasterLayer.objects.get(slug="bench-population")
    rng = np.random.default_rng(SEED)
    width, height = 2900, 2100  # 0.001° cells over -74.5..-71.6, 18.0..20.1
    values = rng.gamma(1.5, 4.0, size=(height, width)).astype("float32")
    path = ROOT / ".local" / "bench_population.tif"
    profile = {"driver": "GTiff", "width": width, "height": height, "count": 1, "dtype": "float32",
               "crs": "EPSG:4326", "transform": from_origin(-74.5, 20.1, 0.001, 0.001),
               "nodata": -1.0, "compress": "deflate", "tiled": True}  # fmt: skip
    with rasterio.open(path, "w", **profile) as out:
        out.write(values, 1)
    layer = raster_create(
        source=path, title="Bench population", slug="bench-population", kind="population"
    )
    path.unlink()
    return layer


def timed(label: str, function, repeat: int = 3) -> None:
    function()  # warm-up (caches, plans)
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        runs.append(time.perf_counter() - start)
    print(
        f"{label:<58} best {min(runs):6.3f} s  median {statistics.median(runs):6.3f} s  rows {len(result.rows)}"
    )


def backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_interleaved(cases: dict, repeat: int = 5) -> None:
    """Each case once as a warm-up, then `repeat` rounds of every case in turn, so that a
    change of load falls on all alike; wall time, and the CPU of this process and of the
    database backend (load-independent)."""
    for function in cases.values():
        function()
    runs = {label: [] for label in cases}
    for _ in range(repeat):
        for label, function in cases.items():
            cpu, db_cpu, start = time.process_time(), backend_cpu(), time.perf_counter()
            result = function()
            wall = time.perf_counter() - start
            runs[label].append((wall, time.process_time() - cpu, backend_cpu() - db_cpu))
            runs[label][-1] += (len(result.rows), result.meta.get("method"))
    for label, values in runs.items():
        walls = [v[0] for v in values]
        print(
            f"{label:<58} best {min(walls):6.3f} s  median {statistics.median(walls):6.3f} s"
            f"  CPU python {statistics.median(v[1] for v in values):.3f} s"
            f" + postgres {statistics.median(v[2] for v in values):.3f} s"
            f"  rows {values[0][3]} ({values[0][4]})"
        )


def build_rollup() -> None:
    from analytics.services.rollup import rollup_rebuild

    start = time.perf_counter()
    cells = rollup_rebuild()
    print(f"rates rollup rebuilt: {cells} cells in {time.perf_counter() - start:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument(
        "--regenerate", action="store_true",
        help="delete the bench database's reports and make them again (after a change of the generator)",
    )  # fmt: skip
    parser.add_argument(
        "--only",
        default="rates,dbscan,coverage,zonal",
        help="comma-separated analyses to time (default: all)",
    )
    args = parser.parse_args()
    only = set(args.only.split(","))
    url = bench_url()
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KOMIN_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    os.environ.setdefault("KOMIN_RASTER_DIR", str(ROOT / ".local" / "bench_rasters"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from layers.demo import load

    load(stdout=sys.stdout)
    start = time.perf_counter()
    count = load_reports(args.reports, regenerate=args.regenerate)
    print(
        f"reports in {urlparse(url).path[1:]}: {count} ({time.perf_counter() - start:.1f} s to make or find)"
    )
    print(f"water points in HT0311: {load_water_points()}")
    raster = load_population_raster()
    print(f"population raster: {raster.width}×{raster.height}")

    from analytics.models import RasterLayer
    from analytics.selectors.common import ProblemFilter
    from analytics.selectors.coverage import coverage
    from analytics.selectors.hotspots import dbscan_clusters
    from analytics.selectors.rasters import zonal_by_area
    from analytics.selectors.rates import area_rates
    from layers.models import Layer
    from reports.models import Report

    water = Layer.objects.get(slug="bench-water-points")
    raster = RasterLayer.objects.get(slug="bench-population")
    print(f"uptime: {os.popen('uptime').read().strip()}")  # nosec B605: a fixed command
    if "rates" in only:
        build_rollup()
        print(f"uptime: {os.popen('uptime').read().strip()}")  # nosec B605: a fixed command
        section, commune = ProblemFilter(level="section"), ProblemFilter(level="commune")
        water = ProblemFilter(level="section", categories=("water",), statuses=("open",))
        timed_interleaved({
            "rates per section (570), rollup (goal < 0.5 s)": lambda: area_rates(filters=section),
            "rates per section (570), exact": lambda: area_rates(filters=section, percentiles="exact"),
            "rates per commune (140), rollup": lambda: area_rates(filters=commune),
            "rates per section, water, open, rollup": lambda: area_rates(filters=water),
        })  # fmt: skip
        print(f"uptime: {os.popen('uptime').read().strip()}")  # nosec B605: a fixed command
    capital = ProblemFilter(level="section", area="HT0111")
    if "dbscan" in only:
        in_capital = Report.objects.filter(commune__pcode="HT0111", hidden=False).count()
        for distance, size in ((100, 5), (30, 10)):
            timed(f"DBSCAN {distance} m / {size} over commune HT0111 ({in_capital} reports)",
                  lambda d=distance, m=size: dbscan_clusters(filters=capital, distance=d, min_size=m))  # fmt: skip
    if "coverage" in only:
        timed(f"coverage {water.features.count()} water points × 570 sections, 500 m",
              lambda: coverage(layer=water, distance=500, level="section"))  # fmt: skip
    if "zonal" in only:
        timed(
            "zonal statistics, 570 sections (exact)",
            lambda: zonal_by_area(raster=raster, level="section"),
        )


if __name__ == "__main__":
    main()
