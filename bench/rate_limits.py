"""Rate limits under concurrency, against gunicorn as in production: 16 clients at once
send anonymous API requests past a limit; every request must be counted, so exactly
`limit` get through. Prints, for each store (PostgreSQL table, Redis), how many passed
against the limit, and the median and p95 time of a request with the limit on and off.

    .venv/bin/python bench/rate_limits.py [--clients 16] [--requests 60] [--url URL]

Starts its own gunicorn (2 workers x 4 threads) on 127.0.0.1:8098 per configuration; needs
a migrated database (make migrate) and, for the Redis rows, Redis on 127.0.0.1:6379.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from geoportal.limits import store  # noqa: E402

PORT = 8098
PATH = "/api/v1/reports/workflow/"  # anonymous, no data needed: only the limit is measured
REDIS = "redis://127.0.0.1:6379/0"


def serve(env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "geoportal.wsgi", "--bind", f"127.0.0.1:{PORT}"]
        + ["--workers", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT,
        # Quiet: every refused request would log a warning.
        env={**os.environ, "LOG_LEVEL": "ERROR", "PYTHONWARNINGS": "ignore", **env},
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/open311/v2/discovery.json")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fire(clients: int, each: int) -> tuple[list[int], list[float]]:
    codes: list[int] = []
    times: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        start.wait()
        mine, spent = [], []
        for _ in range(each):
            began = time.perf_counter()
            conn.request("GET", PATH)
            response = conn.getresponse()
            response.read()
            spent.append(time.perf_counter() - began)
            mine.append(response.status)
        with lock:
            codes.extend(mine)
            times.extend(spent)

    workers = [threading.Thread(target=client) for _ in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return codes, times


def run(name: str, redis_url: str, rate: str, clients: int, each: int) -> None:
    with override_settings(KOMIN_REDIS_URL=redis_url):
        store.reset("anon-reads:127.0.0.1")
    server = serve({"KOMIN_REDIS_URL": redis_url, "KOMIN_RATE_ANON_READS": rate})
    try:
        codes, times = fire(clients, each)
    finally:
        server.terminate()
        server.wait()
    passed = codes.count(200)
    limit = int(rate.split("/")[0]) if rate else len(codes)
    times_ms = sorted(t * 1000 for t in times)
    p95 = times_ms[int(len(times_ms) * 0.95) - 1]
    print(
        f"{name:<26} {len(codes):>6} {limit:>6} {passed:>7} {codes.count(429):>5}"
        f" {statistics.median(times_ms):>8.1f} {p95:>8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--requests", type=int, default=60, help="per client")
    args = parser.parse_args()
    total = args.clients * args.requests
    limit = f"{total // 2}/hour"
    print(f"{args.clients} clients x {args.requests} requests of GET {PATH}, one address")
    print(
        f"{'store':<26} {'sent':>6} {'limit':>6} {'passed':>7} {'429':>5} {'median':>8} {'p95 ms':>8}"
    )
    run("limit off", "", "", args.clients, args.requests)
    run("PostgreSQL table", "", limit, args.clients, args.requests)
    run("Redis", REDIS, limit, args.clients, args.requests)


if __name__ == "__main__":
    main()
