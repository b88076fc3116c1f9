"""Report submission throughput, every answer accounted for, optionally under a fault:

    make bench-submit        # or: .venv/bin/python bench/submissions.py [--clients 8]
                             #     [--seconds 20] [--fault primary-restart|replica-stop|redis-restart]

Without --fault: a copy of the development database (`<your database>_bench_load`, see
bench/load.py) served by gunicorn; with --fault: the private primary and streaming
replica of scripts/replica.sh (the machine's shared PostgreSQL is never restarted),
with KOMIN_REPLICA_URLS set. Clients post JSON reports, each with a unique description,
for the given time; then it prints reports/s, the 201 answers, the rows created (equal:
nothing lost, nothing doubled: every acknowledged report is in the database), the
errors, and the CPU a filed report costs: gunicorn's processes, the machine's PostgreSQL
(all of its processes: run it on a quiet machine) and the bench's own clients.
primary-restart: the primary is restarted (pg_ctl stop -m fast, start) mid-run; prints
how long after it is back the service answered 201 again (goal: within 10 s,
without restarting Komin). replica-stop: the replica is stopped mid-run while other
clients read public GeoJSON: every read must still answer 200 (from the primary).
redis-restart: a private Redis (broker, cache, rate limits) stopped and started while
reports with followers are filed; every notification sent once (bench/redis_fault.py)."""

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg2  # noqa: E402
from serving import (  # noqa: E402
    LOCAL,
    ROOT,
    copy_of_dev,
    forget,
    free_port,
    gunicorn,
    postgres_cpu,
    stop,
    tree_cpu,
)

RUN = uuid.uuid4().hex[:8]
# Readers come from another loopback address: the posters' address is pinned to the
# primary (read-your-writes), the readers' is not, so they read from the replica.
READER = ("127.0.0.2", 0)


def pair() -> dict[str, str]:
    out = subprocess.run(
        [str(ROOT / "scripts" / "replica.sh"), "start"], capture_output=True, text=True, check=True
    ).stdout
    urls = dict(line.split("=", 1) for line in out.split())
    primary = urls["KOMIN_PRIMARY_URL"]
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={"DATABASE_URL": primary, "KOMIN_DEV": "1", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    subprocess.run(  # the probes' territory and category (tests/scale)
        [str(ROOT / ".venv" / "bin" / "python"), "-c", SETUP],
        cwd=ROOT,
        env={
            "DATABASE_URL": primary,
            "KOMIN_DEV": "1",
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "geoportal.settings",
        },
        check=True,
    )
    return {"primary": primary, "replica": urls["KOMIN_REPLICA_URL"]}


SETUP = """
import django; django.setup()
from tests.scale.replica_probe_data import ensure_territory
from reports.models import Category
ensure_territory()
Category.objects.get_or_create(code="probe-pothole", defaults={"name_fr": "Nid-de-poule"})
"""


def category(url: str) -> tuple[str, dict]:
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.code, coalesce(jsonb_object_agg(q.code, coalesce(q.values->0->>'key', '1'))"
            " FILTER (WHERE q.code IS NOT NULL), '{}') FROM reports_category c"
            " LEFT JOIN reports_question q ON q.category_id = c.id AND q.required"
            " WHERE c.active AND c.jurisdiction_id IS NULL GROUP BY c.code ORDER BY c.code LIMIT 1"
        )
        return cursor.fetchone()


def rows(url: str) -> list[str]:
    """The descriptions of this run's reports, one per row (a doubled post shows twice)."""
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT description FROM reports_report WHERE description LIKE %s",
            [f"bench {RUN} %"],
        )
        return [row[0] for row in cursor.fetchall()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--fault", choices=["primary-restart", "replica-stop", "redis-restart"])
    parser.add_argument("--down", type=float, default=5, help="redis-restart: seconds down")
    parser.add_argument(
        "--sweep-seconds", type=float, default=10, help="redis-restart: outbox sweep interval"
    )
    parser.add_argument("--drain-timeout", type=float, default=180)
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="also post reports refused at the door (a longitude out of range: 400 after "
        "the middleware, parsing, rate limits and validation, before any query), in "
        "interleaved rounds: the request path's own rate on this machine",
    )
    parser.add_argument(
        "--queued",
        action="store_true",
        help="as deployed: cache and limits in the machine's Redis, notifications handed to "
        "a broker queue of the bench's own (no worker: the e-mails are not sent, and their "
        "CPU is not counted); without it, no broker: e-mails are built inline",
    )
    args = parser.parse_args()
    if args.ceiling and args.fault:
        parser.error("--ceiling measures the quiet path: no --fault with it")
    if args.fault == "redis-restart":
        import redis_fault

        return redis_fault.main(args)
    env = {}
    if args.fault:
        urls = pair()
        url = urls["primary"]
        env["KOMIN_REPLICA_URLS"] = urls["replica"]
    else:
        url = copy_of_dev("_bench_load")
        print(f"bench reports left by earlier runs, removed: {forget(url)}")
    code, answers = category(url)
    queue = f"komin-bench-submit-{RUN}"
    if args.queued:
        env.update(
            KOMIN_REDIS_URL="redis://127.0.0.1:6379/0",
            KOMIN_BROKER_URL="redis://127.0.0.1:6379/0",
            KOMIN_JOBS_QUEUE=queue,
        )
    port = free_port()
    server = gunicorn(url, port, LOCAL / "submit-gunicorn.log", **env)
    acked: list[str] = []
    errors: dict[str, int] = {}
    reads = {"ok": 0, "failed": 0}
    lock = threading.Lock()
    last_201 = [0.0]
    deadline = time.monotonic() + args.seconds
    counter = iter(range(10**9))

    def note(error: str):
        with lock:
            errors[error] = errors.get(error, 0) + 1

    def poster():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                text = f"bench {RUN} {next(counter)}"
            body = json.dumps(
                {
                    "category": code,
                    "lon": -72.3388,
                    "lat": 18.5392,
                    "description": text,
                    "answers": answers,
                }
            )
            try:
                conn.request("POST", "/api/v1/reports/", body, {"Content-Type": "application/json"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                note(f"dropped:{type(exc).__name__}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                time.sleep(0.1)
                continue
            if response.status == 201:
                with lock:
                    acked.append(text)
                    last_201[0] = time.monotonic()
            else:
                note(str(response.status))
                time.sleep(0.1)

    def reader():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60, source_address=READER)
        while time.monotonic() < deadline:
            try:
                conn.request("GET", "/api/v1/reports/geojson/?bbox=-72.4,18.5,-72.3,18.6")
                response = conn.getresponse()
                response.read()
                reads["ok" if response.status == 200 else "failed"] += 1
            except (OSError, http.client.HTTPException):
                reads["failed"] += 1
                conn.close()
                conn = http.client.HTTPConnection(
                    "127.0.0.1", port, timeout=60, source_address=READER
                )

    threads = [threading.Thread(target=poster) for _ in range(args.clients)]
    if args.fault == "replica-stop":
        threads += [threading.Thread(target=reader) for _ in range(2)]
    began = time.monotonic()
    cpu_began = (tree_cpu(server.pid), postgres_cpu(), time.process_time())
    for thread in threads:
        thread.start()
    recovered = None
    try:
        if args.fault:
            time.sleep(args.seconds / 3)
            script = ROOT / "scripts" / "replica.sh"
            if args.fault == "primary-restart":
                subprocess.run([str(script), "restart-primary"], check=True, capture_output=True)
                back = time.monotonic()
                while time.monotonic() < deadline and last_201[0] < back:
                    time.sleep(0.05)
                recovered = last_201[0] - back if last_201[0] >= back else None
            else:
                subprocess.run([str(script), "stop-replica"], check=True, capture_output=True)
        for thread in threads:
            thread.join()
        ended = (tree_cpu(server.pid), postgres_cpu(), time.process_time())
        cpu = [b - a for a, b in zip(cpu_began, ended, strict=True)]
    finally:
        if args.fault == "replica-stop":
            subprocess.run([str(ROOT / "scripts" / "replica.sh"), "start-replica"], check=False)
        stop(server)
        if args.queued:
            import redis

            redis.Redis.from_url("redis://127.0.0.1:6379/0").delete(queue)
    wall = time.monotonic() - began
    stored = rows(url)
    created, distinct = len(stored), len(set(stored))
    lost = len(set(acked) - set(stored))
    unanswered = len(set(stored) - set(acked))

    print(
        f"machine load (1 min) {os.getloadavg()[0]:.1f} on 2 cores; {args.clients} clients, "
        f"{wall:.1f} s, fault: {args.fault or 'none'}; notifications: "
        + ("queued on a broker (Redis cache and limits), not sent" if args.queued else "inline")
    )
    print(
        f"reports/s {len(acked) / wall:.1f}; 201 answers {len(acked)}; rows created {created} "
        f"({distinct} distinct) -> "
        f"{'equal' if created == len(acked) == distinct else 'NOT EQUAL'}"
    )
    print(
        f"acknowledged but missing: {lost} (goal 0); doubled: {created - distinct} (goal 0); "
        f"committed without a 201 (the answer lost to the fault): {unanswered}"
    )
    print(f"errors: {errors or 'none'}")
    if acked and not args.fault:
        per = [1000 * seconds / len(acked) for seconds in cpu]
        print(
            f"CPU per filed report: gunicorn {per[0]:.1f} ms, PostgreSQL {per[1]:.1f} ms "
            f"(the machine's), the bench's clients {per[2]:.1f} ms; {sum(per):.1f} ms in all "
            f"against {1000 * (os.cpu_count() or 1) * wall / len(acked):.1f} ms of the "
            f"machine's cores per report"
        )
    if args.fault == "primary-restart":
        print(
            "201 again "
            + (
                f"{recovered:.2f} s after the primary was back"
                if recovered is not None
                else "NOT within the run"
            )
        )
    if args.fault == "replica-stop":
        print(
            f"public GeoJSON reads during the run: {reads['ok']} answered 200, "
            f"{reads['failed']} failed"
        )
    if args.ceiling:
        forget(url)  # the ceiling's rounds start where the run started
        ceiling(port_server=(url, env), args=args, code=code, answers=answers)
    if not args.fault:
        forget(url)


def ceiling(*, port_server, args, code: str, answers: dict) -> None:
    """Submissions against refusals at the door, interleaved in 4 rounds of each on a new
    server: how much of a submission's time is the request path itself."""
    url, env = port_server
    port = free_port()
    server = gunicorn(url, port, LOCAL / "submit-ceiling-gunicorn.log", **env)
    rates: dict[str, list[float]] = {"filed": [], "refused": []}
    try:
        for _ in range(4):
            for kind, lon, expected in (("filed", -72.3388, 201), ("refused", 999.0, 400)):
                rates[kind].append(
                    burst(port, args.clients, args.seconds / 4, code, answers, lon, expected)
                )
    finally:
        stop(server)
    filed = statistics.median(rates["filed"])
    refused = statistics.median(rates["refused"])
    print(
        f"ceiling, {args.clients} clients, 4 interleaved rounds of {args.seconds / 4:.1f} s "
        f"(medians): reports filed {filed:.1f}/s; refused at the door (400, no query) "
        f"{refused:.1f}/s: the request path alone takes {1000 * args.clients / refused:.1f} "
        f"ms of a client's wait, a filed report {1000 * args.clients / filed:.1f} ms"
    )


def burst(port, clients, seconds, code, answers, lon, expected) -> float:
    """Answers/s of `clients` posters for `seconds`; any other status than `expected`
    stops the bench (a ceiling of errors measures nothing)."""
    done = [0]
    wrong: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def post():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            body = json.dumps(
                {"category": code, "lon": lon, "lat": 18.5392, "description": f"bench {RUN}"}
                | {"answers": answers}
            )
            conn.request("POST", "/api/v1/reports/", body, {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            with lock:
                if response.status == expected:
                    done[0] += 1
                else:
                    wrong.append(response.status)

    threads = [threading.Thread(target=post) for _ in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if wrong:
        raise SystemExit(f"ceiling: {len(wrong)} answers were not {expected}: {wrong[:5]}")
    return done[0] / (time.monotonic() - began)


if __name__ == "__main__":
    main()
