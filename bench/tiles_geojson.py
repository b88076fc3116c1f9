"""Vector tiles and GeoJSON pages: SQL floor vs Komin (gunicorn) vs tipg vs pygeoapi.

    make bench-tiles            # or: .venv/bin/python bench/tiles_geojson.py

What it does, in one run:
1. A separate database (`<your database>_bench`, or BENCH_DATABASE_URL), migrated, with a
   reproducible data set (fixed seed): a layer `bench-infra` of 100k features and a layer
   `bench-points` of 1M points spread over Haiti (60 % around 40 towns, 40 % uniform).
   Built once; --rebuild to build it again.
2. tipg and pygeoapi installed from PyPI (locked with hashes: bench/locks/) into their own
   virtualenvs under .local/bench/,
   serving views over the same table (`bench_points`).
3. Servers: Komin under gunicorn (2 workers x 4 threads, tile cache off so that tiles are
   built on every request), tipg under uvicorn (2 workers), pygeoapi under gunicorn, and
   the HTTP floor (bench/http_floor.py): the SQL floor's query answered by a bare WSGI app
   under the same gunicorn settings as Komin, the cost of serving a tile from Python at
   all, so that Komin's own cost (komin/http) is told from gunicorn's, HTTP's and
   psycopg2's.
4. Cases: tiles at z8/z12/z14, each at the tile holding closest to 100 / 1k / 10k points;
   GeoJSON pages of 100 / 1k / 10k features and a deep page (offset 900k); 1, 4 and 8
   concurrent clients, each server measured in interleaved rounds bounded in time (a
   round of 8 clients runs until its deadline; connection and warm-up are not counted).
   Prints median, p95 (ms) and throughput (requests/s), and the SQL floor (the same
   ST_AsMVT / GeoJSON query timed from psycopg2) with JIT off, measured in the same
   rounds as the servers, and with JIT on and forced (measured before them).

Options: --quick (shorter rounds), --tiles-only, --no-tipg, --no-pygeoapi, --rebuild, --tile-cache
SECONDS (Komin's tile cache on: tiles after the first are cache hits; default 0, bypassed).
It prints `uptime` before and after (the machine is shared: a load average well over 2
makes every figure slower, Komin's and tipg's alike, as rounds are interleaved), and at
the end Komin's tile throughput over tipg's at 8 clients for each tile (goal of issue #12:
>= 2x with the cache bypassed).
"""

import argparse
import http.client
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local" / "bench"
PY = sys.executable
# Free ports, chosen at start: several checkouts on one machine may run the bench at once.
PORTS: dict[str, int] = {}
SEED = 0.42
POINTS = 1_000_000
INFRA = 100_000
TILE_TARGETS = (100, 1_000, 10_000)
ZOOMS = (8, 12, 14)
PAGES = ((100, 0), (1_000, 0), (10_000, 0), (100, 900_000))
CONCURRENCY = (1, 4, 8)
DATA_VERSION = f"v1-{SEED}-{POINTS}-{INFRA}"


# --- database -------------------------------------------------------------------------


def bench_url() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    base = (ROOT / ".local" / "database_url").read_text().strip()
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path + "_bench"))


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    conn = psycopg2.connect(url)
    conn.autocommit = True
    conn.cursor().execute("CREATE EXTENSION IF NOT EXISTS postgis")
    conn.close()
    env = {**os.environ, "DATABASE_URL": url, "KOMIN_DEV": "1"}
    subprocess.run([PY, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)


LAYER_SQL = """
INSERT INTO layers_layer (slug, title, description, geometry_type, schema, style, source,
    licence, attribution, visibility, version, point_min_zoom, created_at, updated_at)
VALUES (%(slug)s, %(slug)s, 'benchmark data', 'Point',
    '[{"name": "name", "type": "string"}, {"name": "kind", "type": "string"},
      {"name": "capacity", "type": "integer"}]', '{}', '', '', '', 'public', 1, 0, now(), now())
RETURNING id
"""

# Reproducible: setseed() then one single-process INSERT ... SELECT (no parallel workers).
POINTS_SQL = """
WITH towns AS (
    SELECT t, -74.3 + random() * 2.5 AS lon, 18.2 + random() * 1.7 AS lat,
           0.01 + random() * 0.08 AS sigma
    FROM generate_series(0, 39) t
),
draws AS (
    SELECT i, random() AS u0, random() AS u1, random() AS u2, random() AS u3, random() AS u4
    FROM generate_series(1, %(rows)s) i
)
INSERT INTO layers_feature (layer_id, geom, attributes, external_id, condition, created_at, updated_at)
SELECT %(layer)s,
       ST_SetSRID(CASE WHEN d.u0 < 0.6 THEN
           ST_MakePoint(t.lon + t.sigma * sqrt(-2 * ln(greatest(d.u1, 1e-12))) * cos(2 * pi() * d.u2),
                        t.lat + t.sigma * sqrt(-2 * ln(greatest(d.u1, 1e-12))) * sin(2 * pi() * d.u2))
         ELSE ST_MakePoint(-74.45 + d.u3 * 2.8, 18.05 + d.u4 * 2.0) END, 4326),
       jsonb_build_object('name', 'Point ' || d.i,
                          'kind', (ARRAY['well', 'tap', 'kiosk', 'school'])[1 + d.i %% 4],
                          'capacity', d.i %% 500),
       %(prefix)s || d.i, 'working', now(), now()
FROM draws d JOIN towns t ON t.t = d.i %% 40
"""

VIEW_SQL = """
CREATE OR REPLACE VIEW {view} AS
SELECT f.id, f.geom, f.attributes->>'name' AS name,
       f.attributes->>'kind' AS kind, (f.attributes->>'capacity')::int AS capacity, f.condition
FROM layers_feature f WHERE f.layer_id = {layer}
"""


def build_data(url: str, rebuild: bool) -> dict[str, int]:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    cursor = conn.cursor()
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
    cursor.execute("SELECT value FROM bench_meta WHERE key = 'data'")
    row = cursor.fetchone()
    if row and row[0] == DATA_VERSION and not rebuild:
        cursor.execute("SELECT slug, id FROM layers_layer WHERE slug LIKE 'bench-%%'")
        layers = dict(cursor.fetchall())
        create_views(cursor, layers)
        return layers
    print("building the data set (once) ...", flush=True)
    cursor.execute("DROP VIEW IF EXISTS bench_points, bench_infra")
    cursor.execute("DELETE FROM layers_feature")
    cursor.execute("DELETE FROM layers_layer")
    cursor.execute("SET max_parallel_workers_per_gather = 0")
    layers = {}
    for slug, rows, prefix, seed in (
        ("bench-points", POINTS, "p", SEED),
        ("bench-infra", INFRA, "i", SEED / 2),
    ):
        cursor.execute(LAYER_SQL, {"slug": slug})
        layers[slug] = cursor.fetchone()[0]
        cursor.execute("SELECT setseed(%s)", [seed])
        started = time.perf_counter()
        cursor.execute(POINTS_SQL, {"rows": rows, "layer": layers[slug], "prefix": prefix})
        print(f"  {slug}: {rows} rows in {time.perf_counter() - started:.0f} s", flush=True)
    create_views(cursor, layers)
    cursor.execute("VACUUM ANALYZE layers_feature")
    cursor.execute(
        "INSERT INTO bench_meta VALUES ('data', %s) ON CONFLICT (key) DO UPDATE SET value = %s",
        [DATA_VERSION, DATA_VERSION],
    )
    conn.close()
    return layers


def create_views(cursor, layers: dict[str, int]) -> None:
    """Plain views over the same table for tipg and pygeoapi (no cast on the geometry,
    so that their spatial filters use the table's GiST index)."""
    cursor.execute("DROP VIEW IF EXISTS bench_points, bench_infra")
    cursor.execute(VIEW_SQL.format(view="bench_points", layer=layers["bench-points"]))
    cursor.execute(VIEW_SQL.format(view="bench_infra", layer=layers["bench-infra"]))


TILE_PICK_SQL = """
SELECT x, y, n FROM (
    SELECT floor((ST_X(geom_3857) + 20037508.342789244) / (40075016.685578488 / 2 ^ %(z)s))::int AS x,
           floor((20037508.342789244 - ST_Y(geom_3857)) / (40075016.685578488 / 2 ^ %(z)s))::int AS y,
           count(*) AS n
    FROM layers_feature WHERE layer_id = %(layer)s GROUP BY 1, 2
) t ORDER BY abs(ln(n) - ln(%(target)s)), x, y LIMIT 1
"""


def pick_tiles(url: str, layer: int) -> list[tuple[int, int, int, int, int]]:
    conn = psycopg2.connect(url)
    cursor = conn.cursor()
    tiles = []
    for z in ZOOMS:
        for target in TILE_TARGETS:
            cursor.execute(TILE_PICK_SQL, {"z": z, "layer": layer, "target": target})
            x, y, n = cursor.fetchone()
            if (z, x, y) not in [(t[0], t[1], t[2]) for t in tiles]:
                tiles.append((z, x, y, n, target))
    conn.close()
    return tiles


# --- servers --------------------------------------------------------------------------


def empty_tile() -> tuple[int, int, int, int, int]:
    """A z14 tile in the sea south-west of Haiti: no point, the fixed cost alone."""
    z, lon, lat = 14, -75.5, 16.5
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return z, x, y, 0, 0


def install(tool: str) -> Path:
    """The tool's own virtualenv, installed from its lock (bench/locks/TOOL.txt, hashes
    required; `make lock` compiles it) and reinstalled when the lock changes."""
    lock = ROOT / "bench" / "locks" / f"{tool}.txt"
    venv = LOCAL / f"{tool}-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    marker = venv / ".komin-installed"
    locked = lock.read_text()
    if not marker.exists() or marker.read_text() != locked:
        print(f"installing {tool} from PyPI into {venv} ...", flush=True)
        command = [str(python), "-m", "pip", "install", "-q", "--require-hashes", "-r", str(lock)]
        subprocess.run(command, check=True)
        marker.write_text(locked)
    return venv


def pygeoapi_config(url: str) -> Path:
    parts = urlsplit(url)
    config = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": PORTS["pygeoapi"]},
            "url": f"http://127.0.0.1:{PORTS['pygeoapi']}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 10000},
            "limit": 10,
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": ""},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "bench",
                "description": "bench",
                "keywords": ["bench"],
                "keywords_type": "theme",
                "terms_of_service": "",
                "url": "",
            },
            "license": {"name": "CC-BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
            "provider": {"name": "bench", "url": "https://example.org/"},
            "contact": {"name": "bench", "url": "https://example.org/"},
        },
        "resources": {
            "bench_points": {
                "type": "collection",
                "title": "bench points",
                "description": "bench points",
                "keywords": ["bench"],
                "extents": {
                    "spatial": {
                        "bbox": [-74.5, 18.0, -71.6, 20.1],
                        "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
                    }
                },
                "providers": [
                    {
                        "type": "feature",
                        "name": "PostgreSQL",
                        "data": {
                            "host": parts.hostname,
                            "port": parts.port or 5432,
                            "dbname": parts.path.lstrip("/"),
                            "user": parts.username,
                            "password": parts.password,
                            "search_path": ["public"],
                        },
                        "id_field": "id",
                        "table": "bench_points",
                        "geom_field": "geom",
                    }
                ],
            }
        },
    }
    path = LOCAL / "pygeoapi.config.yml"
    path.write_text(json.dumps(config, indent=1))  # JSON is YAML
    return path


def start_servers(
    url: str, tools: list[str], tile_cache: int = 0, http_floor: tuple[str, dict] | None = None
) -> dict[str, subprocess.Popen]:
    LOCAL.mkdir(parents=True, exist_ok=True)
    PORTS.update({name: free_port() for name in ("http", "komin", "tipg", "pygeoapi")})
    running: dict[str, subprocess.Popen] = {}
    try:
        _start(url, tools, running, tile_cache, http_floor)
    except BaseException:
        for process in running.values():
            _stop(process)
        raise
    return running


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


GUNICORN_WORKERS = ["--workers", "2", "--threads", "4", "--worker-class", "gthread"]


def _start(url: str, tools: list[str], running: dict, tile_cache: int = 0, http_floor=None) -> None:
    if http_floor:  # first, so that its column comes before Komin's
        sql, params = http_floor
        floor_env = {
            **os.environ,
            "KOMIN_HTTP_FLOOR_URL": url,
            "KOMIN_HTTP_FLOOR_SQL": sql,
            "KOMIN_HTTP_FLOOR_PARAMS": json.dumps(params),
        }
        command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "http_floor:app", "--pythonpath"]
        command += [str(ROOT / "bench"), "--bind", f"127.0.0.1:{PORTS['http']}"]
        running["http"] = _spawn(command + GUNICORN_WORKERS, floor_env, "http")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "KOMIN_DEV": "1",
        "KOMIN_TILE_CACHE_SECONDS": str(tile_cache),
        # The bench's clients read far faster than the anonymous limit (600/minute) allows;
        # a 429 would be counted as an error and measure the limit, not the server.
        "KOMIN_RATE_ANON_READS": "10000000/minute",
    }
    running["komin"] = _spawn(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "geoportal.wsgi",
            "--bind",
            f"127.0.0.1:{PORTS['komin']}",
            *GUNICORN_WORKERS,
        ],
        env,
        "komin",
    )
    if "tipg" in tools:
        venv = install("tipg")
        tipg_env = {
            **os.environ,
            "DATABASE_URL": url,
            "TIPG_DB_SCHEMAS": '["public"]',
            "TIPG_DB_TABLES": '["public.bench_points"]',
            "TIPG_MAX_FEATURES_PER_QUERY": "10000",
            "TIPG_MAX_FEATURES_PER_TILE": "20000",
        }
        running["tipg"] = _spawn(
            [
                str(venv / "bin" / "uvicorn"),
                "tipg.main:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(PORTS["tipg"]),
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            tipg_env,
            "tipg",
        )
    if "pygeoapi" in tools:
        venv = install("pygeoapi")
        config = pygeoapi_config(url)
        openapi = LOCAL / "pygeoapi.openapi.yml"
        subprocess.run(
            [
                str(venv / "bin" / "pygeoapi"),
                "openapi",
                "generate",
                str(config),
                "--output-file",
                str(openapi),
            ],
            check=True,
            capture_output=True,
        )
        py_env = {**os.environ, "PYGEOAPI_CONFIG": str(config), "PYGEOAPI_OPENAPI": str(openapi)}
        running["pygeoapi"] = _spawn(
            [
                str(venv / "bin" / "gunicorn"),
                "pygeoapi.flask_app:APP",
                "--bind",
                f"127.0.0.1:{PORTS['pygeoapi']}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--worker-class",
                "gthread",
            ],
            py_env,
            "pygeoapi",
        )
    for name in list(running):
        if not _wait(PORTS[name]):
            print(f"{name} did not start; see {LOCAL / (name + '.log')}", flush=True)
            _stop(running.pop(name))


def _spawn(cmd, env, name) -> subprocess.Popen:
    log = open(LOCAL / f"{name}.log", "w")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)


def _wait(port: int, seconds: float = 60) -> bool:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/")
            conn.getresponse().read()
            return True
        except OSError:
            time.sleep(0.5)
    return False


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass


# --- measuring ------------------------------------------------------------------------


DROPPED = (OSError, http.client.HTTPException)  # refused, reset, closed, timed out


def _batch(port: int, path: str, concurrency: int, per_client: int, deadline: float):
    """GETs over `concurrency` keep-alive connections until the deadline (at least
    `per_client` each): latencies, wall time and errors (a status other than 200/204, or a
    dropped connection, which is counted and reconnected). Each client connects and makes
    one warm-up request first; the wall clock starts when every client is ready, so that
    thread start, connection and warm-up are not counted against the server's rate."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(concurrency + 1)

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def client():
        conn = connect()
        try:
            conn.request("GET", path)  # warm-up
            conn.getresponse().read()
        except DROPPED as exc:
            with lock:
                errors.append(f"dropped:{type(exc).__name__}")
            conn = connect()
        ready.wait()
        done = 0
        while done < per_client or time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
            except DROPPED as exc:
                with lock:
                    errors.append(f"dropped:{type(exc).__name__}")
                conn.close()
                conn = connect()
                continue
            finally:
                done += 1
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status not in (200, 204):
                    errors.append(str(response.status))
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def floor_batch(url: str, sql: str, params: dict):
    """The SQL floor as a target of measure_interleaved: the query from one psycopg2
    connection (JIT off), one client, timed like a server's requests."""

    def batch(concurrency: int, per_client: int, deadline: float):
        conn = psycopg2.connect(url)
        conn.autocommit = True
        try:
            cursor = conn.cursor()
            cursor.execute("SET jit = off")
            cursor.execute(sql, params)  # warm-up
            cursor.fetchall()
            latencies, done, began = [], 0, time.perf_counter()
            while done < per_client or time.perf_counter() < deadline:
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                latencies.append(time.perf_counter() - started)
                done += 1
            return latencies, time.perf_counter() - began, []
        finally:
            conn.close()

    return batch


def measure_interleaved(
    targets: dict[str, tuple[int, str]], concurrency: int, requests: int, budget: float, rounds=4
) -> dict[str, dict]:
    """Each target in turn, round after round (the order rotating), so that a change in
    the machine's load (other work on a shared machine) falls on every target alike. A
    target is a server's (port, path) or a batch function (the SQL floor); each round
    lasts budget / rounds seconds per target (at least `requests` in all)."""
    names = list(targets)
    got = {name: ([], 0.0, []) for name in names}
    per_client = max(3, math.ceil(requests / concurrency / rounds))
    for turn in range(rounds):
        order = names[turn % len(names) :] + names[: turn % len(names)]
        for name in order:
            deadline = time.perf_counter() + budget / rounds
            if callable(targets[name]):
                latencies, wall, errors = targets[name](concurrency, per_client, deadline)
            else:
                port, path = targets[name]
                latencies, wall, errors = _batch(port, path, concurrency, per_client, deadline)
            kept = got[name]
            got[name] = (kept[0] + latencies, kept[1] + wall, kept[2] + errors)
    return {name: summary(*got[name]) for name in names}


def measure(port: int, path: str, concurrency: int, requests: int, budget: float) -> dict:
    """One server alone (see measure_interleaved for comparisons)."""
    per_client = max(3, math.ceil(requests / concurrency))
    latencies, wall, errors = _batch(
        port, path, concurrency, per_client, time.perf_counter() + budget
    )
    return summary(latencies, wall, errors)


def summary(latencies, wall, errors=()) -> dict:
    ordered = sorted(latencies) or [float("nan")]
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "rps": len(latencies) / wall if wall else 0.0,
        "n": len(latencies),
        "errors": sorted(set(errors)),
        "error_count": len(errors),
    }


def sql_floors(url: str, sql: str, params: dict, *, runs: int) -> list[dict]:
    """The query alone from psycopg2: JIT off, JIT on (default thresholds) and JIT forced
    (jit_above_cost = 0, what happens once a plan's estimate crosses the threshold), runs
    interleaved so that no setting profits from a warmer cache."""
    cursors, latencies, walls = [], ([], [], []), [0.0, 0.0, 0.0]
    for settings in (["jit = off"], ["jit = on"], ["jit = on", "jit_above_cost = 0"]):
        conn = psycopg2.connect(url)
        conn.autocommit = True
        cursor = conn.cursor()
        for setting in settings:
            cursor.execute(f"SET {setting}")
        cursor.execute(sql, params)
        cursor.fetchall()
        cursors.append(cursor)
    for _ in range(runs):
        for which, cursor in enumerate(cursors):
            begin = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            elapsed = time.perf_counter() - begin
            latencies[which].append(elapsed)
            walls[which] += elapsed
    for cursor in cursors:
        cursor.connection.close()
    return [summary(latencies[i], walls[i]) for i in (0, 1, 2)]


def komin_sql(url: str, layer_id: int):
    """The exact SQL Komin runs, taken from the code (Django set up on the bench DB)."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("KOMIN_DEV", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from geoportal.sql import sql_file
    from layers.models import Layer
    from layers.selectors.features import attribute_nulls
    from layers.tiles.build import tile_sql
    from layers.tiles.sources import layer_source

    layer = Layer.objects.get(pk=layer_id)
    source = layer_source(layer)
    page_sql = sql_file(ROOT / "layers" / "sql" / "features_page.sql")
    return source, tile_sql(source), page_sql, attribute_nulls(layer, staff=False)


# --- main -----------------------------------------------------------------------------


def fmt(result: dict | None) -> str:
    if not result:
        return f"{'-':>24}"
    flag = f" !{result['error_count']}x" + ",".join(result["errors"]) if result["errors"] else ""
    return f"{result['median_ms']:8.1f} {result['p95_ms']:7.1f} {result['rps']:6.1f}{flag}"


def goal(floor: dict, komin: dict | None, http: dict | None = None) -> str:
    """Komin against the SQL floor (JIT off), the goals of issue #12: an empty tile at
    most 3 ms over the floor, tiles from 1,000 points at most 1.2x the floor. With the
    HTTP floor: how much of that is serving from Python at all (http/floor) and how much
    Komin's own (komin/http)."""
    if not komin or not floor:
        return ""
    ratio = komin["median_ms"] / floor["median_ms"]
    line = f"   komin/floor {ratio:4.2f}x (+{komin['median_ms'] - floor['median_ms']:.1f} ms)"
    if http:
        line += f"  http/floor {http['median_ms'] / floor['median_ms']:4.2f}x"
        line += f"  komin/http {komin['median_ms'] / http['median_ms']:4.2f}x"
        line += f" (+{komin['median_ms'] - http['median_ms']:.1f} ms)"
    return line


FLOOR_KEYS = ("sql_jit_off", "sql_jit_on", "sql_jit_forced")


def run_case(label, floors, paths, servers, requests: int, budget: float, floor=None) -> list[dict]:
    """One row per concurrency level: the SQL floors beside each server's figures
    (a server with no path for the case, e.g. pygeoapi for tiles, is left blank). With
    `floor` (floor_batch), the JIT-off floor of the one-client row is measured in the
    same interleaved rounds as the servers, not before them."""
    rows = []
    for c in CONCURRENCY:
        row = {
            "case": label,
            "c": c,
            "sql_jit_off": floors[0],
            "sql_jit_on": floors[1],
            "sql_jit_forced": floors[2],
        }
        targets = {name: (PORTS[name], paths[name]) for name in servers if paths.get(name)}
        if c == 1 and floor:  # the floor in the same rounds as the servers
            row.update(measure_interleaved({"floor": floor, **targets}, c, requests, budget))
            row["sql_jit_off"] = row.pop("floor")
        else:
            row.update(measure_interleaved(targets, c, requests, budget))
        rows.append(row)
        print(
            f"{label:<34}{c:>2}  "
            + "".join(fmt(row[key] if c == 1 else None) for key in FLOOR_KEYS)
            + "".join(fmt(row.get(name)) for name in servers)
            + (goal(row["sql_jit_off"], row.get("komin"), row.get("http")) if c == 1 else ""),
            flush=True,
        )
    return rows


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def cache_line(tile_cache: int) -> str:
    if tile_cache > 0:
        return (
            f"cache: HIT - Komin's tile cache on ({tile_cache} s; tiles after the first come "
            "from it); tipg has no tile cache; no If-None-Match sent (no 304)"
        )
    return (
        "cache: BYPASSED - Komin's tile cache off (KOMIN_TILE_CACHE_SECONDS=0: every tile "
        "built by PostGIS), tipg has no tile cache, no If-None-Match sent (no 304)"
    )


def print_ratios(rows: list[dict], tile_cache: int, clients: int = 8) -> None:
    """Komin's requests/s over tipg's at `clients` clients, tile by tile; errors (an
    answer other than 200/204, a dropped connection) are named beside the ratio."""
    state = "cache hit" if tile_cache > 0 else "cache bypassed"
    print(f"\ntile throughput at {clients} clients, {state}: Komin / tipg (goal >= 2x)")
    ratios = []
    for row in rows:
        komin, tipg = row.get("komin"), row.get("tipg")
        if row["c"] != clients or not komin or not tipg or not tipg["rps"]:
            continue
        ratio = komin["rps"] / tipg["rps"]
        ratios.append(ratio)
        errors = komin["error_count"] + tipg["error_count"]
        print(
            f"  {row['case']:<34} {komin['rps']:7.1f} / {tipg['rps']:7.1f} req/s = "
            f"{ratio:5.2f}x  errors {errors}"
        )
    if ratios:
        print(f"  median ratio {statistics.median(ratios):.2f}x over {len(ratios)} tiles")
    else:
        print("  (no tipg figures: tipg not run)")


def _terminate(signum, frame):
    raise SystemExit(1)  # runs the `finally` that stops the servers


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-tipg", action="store_true")
    parser.add_argument("--no-pygeoapi", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--tiles-only", action="store_true", help="no GeoJSON pages")
    parser.add_argument("--tile-cache", type=int, default=0, metavar="SECONDS")
    args = parser.parse_args()
    requests, budget = (12, 4.0) if args.quick else (40, 12.0)
    url = bench_url()
    ensure_database(url)
    layers = build_data(url, args.rebuild)
    points = layers["bench-points"]
    source, tile_query, page_query, nulls = komin_sql(url, points)
    tiles = [empty_tile(), *pick_tiles(url, points)]
    tools = [t for t in ("tipg", "pygeoapi") if not getattr(args, f"no_{t}")]
    http_floor = (tile_query, {**source.params, "layer_name": source.mvt_layer})
    servers = start_servers(url, tools, args.tile_cache, http_floor)
    results = {"tiles": [], "pages": []}
    try:
        print(f"\nuptime at start: {uptime()}")
        print(
            f"bench database {urlsplit(url).path.lstrip('/')}: {POINTS} points, {INFRA} "
            f"infrastructure features; servers: {', '.join(servers)}"
        )
        print(cache_line(args.tile_cache))
        print("each cell: median ms, p95 ms, requests/s\n")
        names = ("sql jit off", "sql jit on", "sql jit forced", *servers)
        header = f"{'case':<34}{'c':>2}  " + "".join(
            f"{'http floor' if name == 'http' else name:>24}" for name in names
        )
        print(header)
        for z, x, y, n, _target in tiles:
            params = {**source.params, "z": z, "x": x, "y": y, "layer_name": source.mvt_layer}
            floors = sql_floors(url, tile_query, params, runs=requests)
            paths = {
                "http": f"/tiles/{z}/{x}/{y}.pbf",
                "komin": f"/tiles/bench-points/{z}/{x}/{y}.pbf",
                "tipg": f"/collections/public.bench_points/tiles/WebMercatorQuad/{z}/{x}/{y}",
                "pygeoapi": None,
            }
            label = f"tile z{z} {x}/{y} ({n} pts)"
            floor = floor_batch(url, tile_query, params)
            results["tiles"] += run_case(label, floors, paths, servers, requests, budget, floor)
        for limit, offset in [] if args.tiles_only else PAGES:
            params = {
                "layer": points,
                "hidden": [],
                "nulls": nulls,
                "limit": limit,
                "offset": offset,
                "filter": None,
                "condition": None,
                "since": None,
                "until": None,
                "xmin": None,
                "ymin": None,
                "xmax": None,
                "ymax": None,
            }
            floors = sql_floors(url, page_query, params, runs=max(5, requests // 4))
            paths = {
                "http": None,
                "komin": f"/api/v1/layers/bench-points/features/?limit={limit}&offset={offset}",
                "tipg": f"/collections/public.bench_points/items?limit={limit}&offset={offset}",
                "pygeoapi": f"/collections/bench_points/items?f=json&limit={limit}&offset={offset}",
            }
            label = f"geojson limit {limit} offset {offset}"
            runs = max(6, requests // 2)
            floor = floor_batch(url, page_query, params)
            results["pages"] += run_case(label, floors, paths, servers, runs, budget, floor)
    finally:
        for process in servers.values():
            _stop(process)
    print(f"\nuptime at the end: {uptime()}")
    print_ratios(results["tiles"], args.tile_cache)
    out = LOCAL / "results.json"
    out.write_text(json.dumps({**results, "tile_cache_seconds": args.tile_cache}, indent=1))
    print(f"\nraw figures: {out}")


if __name__ == "__main__":
    main()
