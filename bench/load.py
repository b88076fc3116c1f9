"""Mixed traffic under Locust, headless and bounded in time:

    make bench-load        # or: .venv/bin/python bench/load.py [--users 30] [--seconds 60]

Serves a copy of the development database (`<your database>_bench_load`, made once with
CREATE DATABASE … TEMPLATE: run `make demo` first; the make target does) with gunicorn
as `make run` does (tile cache off, rate limits opened for one address), runs
bench/locustfile.py (citizens: tiles, GeoJSON, reports with and without a photo; crews:
their tickets and a comment; planners: rates) from Locust's own virtualenv
(bench/locks/locust.txt), and prints per route: requests, error rate, median and p95.
Then the reports created against the 2xx answers to report posts, matched by reference."""

import argparse
import csv
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg2  # noqa: E402
from serving import LOCAL, ROOT, copy_of_dev, free_port, gunicorn, jpeg, stop  # noqa: E402
from tiles_geojson import install  # noqa: E402

DEMO_PASSWORDS = {"crew": "komin-crew-demo", "planner": "komin-planner-demo"}  # nosec B105


def token(port: int, username: str) -> str:
    body = json.dumps({"username": username, "password": DEMO_PASSWORDS[username]}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    # Komin on loopback, started above.
    with urllib.request.urlopen(request, timeout=180) as response:  # nosec B310
        return json.load(response)["token"]


def category(url: str) -> tuple[str, str]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.code, coalesce(jsonb_object_agg(q.code, coalesce(q.values->0->>'key', '1'))"
            " FILTER (WHERE q.code IS NOT NULL), '{}') FROM reports_category c"
            " LEFT JOIN reports_question q ON q.category_id = c.id AND q.required"
            " WHERE c.active AND c.jurisdiction_id IS NULL GROUP BY c.code ORDER BY c.code LIMIT 1"
        )
        code, answers = cursor.fetchone()
    return code, json.dumps(answers)


def bench_reports(url: str) -> set[str]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT reference FROM reports_report WHERE description = 'load bench'")
        return {reference for (reference,) in cursor.fetchall()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    url = copy_of_dev("_bench_load")
    venv = install("locust")
    port = free_port()
    server = gunicorn(url, port, LOCAL / "load-gunicorn.log")
    before = bench_reports(url)
    answered_file = LOCAL / "load-answered.txt"
    answered_file.write_text("")
    try:
        code, answers = category(url)
        env = {
            **os.environ,
            "KOMIN_BENCH_CREW_TOKEN": token(port, "crew"),
            "KOMIN_BENCH_PLANNER_TOKEN": token(port, "planner"),
            "KOMIN_BENCH_CATEGORY": code,
            "KOMIN_BENCH_ANSWERS": answers,
            "KOMIN_BENCH_PHOTO": str(jpeg(LOCAL / "load-photo.jpg")),
            "KOMIN_BENCH_ANSWERED": str(answered_file),
        }
        prefix = LOCAL / "load"
        command = [
            str(venv / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(max(1, args.users // 5)),
            "--run-time",
            f"{args.seconds}s",
            "--stop-timeout",  # users finish their request: an answer cut off is not counted
            "60",
            "--host",
            f"http://127.0.0.1:{port}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ]
        subprocess.run(command, env=env, check=False, timeout=args.seconds + 180)
    finally:
        stop(server)
    rows = list(csv.DictReader((LOCAL / "load_stats.csv").open()))
    load = os.getloadavg()[0]
    print(f"\n{args.users} users for {args.seconds} s; machine load (1 min) {load:.1f}, 2 cores")
    print(
        f"{'route':<24}{'requests':>9}{'errors':>8}{'error %':>8}{'median':>8}{'p95 ms':>8}{'req/s':>7}"
    )
    posted = 0
    for row in rows:
        requests, failures = int(row["Request Count"]), int(row["Failure Count"])
        if row["Name"] in ("report", "report with photo"):
            posted += requests - failures
        share = 100 * failures / requests if requests else 0
        print(
            f"{row['Name']:<24}{requests:>9}{failures:>8}{share:>7.2f}%{row['Median Response Time']:>8}"
            f"{row['95%']:>8}{float(row['Requests/s']):>7.1f}"
        )
    created = bench_reports(url) - before
    answered = set(answered_file.read_text().split())
    # Counted from the references the clients read, not from Locust's CSV: its last write
    # comes before the users still finishing their request at the stop have finished.
    print(
        f"reports: {len(answered)} accepted (2xx, references read by the clients;"
        f" Locust's table counted {posted}), {len(created)} rows created"
        f" -> {'equal' if answered == created else 'NOT EQUAL'}; accepted but missing:"
        f" {len(answered - created)} (goal 0); rows whose answer no client read (in flight"
        f" when Locust stopped, or the connection lost): {len(created - answered)}"
    )


if __name__ == "__main__":
    main()
