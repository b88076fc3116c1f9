"""Helpers of the load benches: a bench database, a gunicorn serving it, free ports."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local" / "bench"
PY = sys.executable
# Limits that would refuse a load test from one address (anonymous reports: 10/hour).
OPEN_LIMITS = {
    "KOMIN_RATE_ANON_REPORTS": "10000000/hour",
    "KOMIN_RATE_USER_REPORTS": "10000000/hour",
    "KOMIN_RATE_REPORT_ATTEMPTS": "10000000/hour",
    "KOMIN_RATE_ANON_READS": "10000000/minute",
    "KOMIN_RATE_ANON_ACTIONS": "10000000/hour",
    "KOMIN_RATE_LOGIN_CLIENT": "10000000/hour",
}


def dev_url() -> str:
    return os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()


def copy_of_dev(suffix: str) -> str:
    """`<your database><suffix>`, made once as a copy (CREATE DATABASE … TEMPLATE) of the
    development database with its demo data, and migrated on every use (a copy made
    before a migration would otherwise be measured without it); .local/database_url is
    left alone."""
    parts = urlsplit(dev_url())
    source = parts.path.lstrip("/")
    name = source + suffix
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            print(f"making {name}, a copy of {source}", flush=True)
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}"')
    admin.close()
    url = urlunsplit(parts._replace(path=f"/{name}"))
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "KOMIN_DEV": "1"},
        check=True,
    )
    return url


def forget(url: str) -> int:
    """Removes the reports the load benches filed (this run's and any earlier run's, with
    their history, photos and outbox messages): every run starts from the same copy, not
    from the thousands of reports at one point that earlier runs left for the duplicate
    check to sort, nor from their undelivered notifications (a run with --queued hands
    them to a queue of its own that no worker reads), which the outbox sweep of a later
    run would deliver first, 500 at a time, before any of its own."""
    bench = "SELECT id FROM reports_report WHERE description LIKE 'bench %%'"
    with psycopg2.connect(url) as conn, conn.cursor() as cursor:
        for table in ("reports_reportupdate", "reports_reportphoto"):
            cursor.execute(f"DELETE FROM {table} WHERE report_id IN ({bench})")  # nosec B608
        cursor.execute(f"DELETE FROM reports_report WHERE id IN ({bench})")  # nosec B608
        removed = cursor.rowcount
        # the outbox messages whose update is gone: these runs', and those of earlier
        # versions of this function, which left them behind
        cursor.execute(
            "DELETE FROM jobs_outboxmessage m WHERE m.payload ? 'update_id' AND NOT EXISTS"
            " (SELECT 1 FROM reports_reportupdate u WHERE u.id = (m.payload->>'update_id')::bigint)"
        )
        return removed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn(database_url: str, port: int, log: Path, **env: str) -> subprocess.Popen:
    """Komin as `make run` serves it (gunicorn.conf.py), on `port`, tile cache off."""
    full = {
        **os.environ,
        **OPEN_LIMITS,
        "DATABASE_URL": database_url,
        "KOMIN_DEV": "1",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "KOMIN_TILE_CACHE_SECONDS": "0",
        **env,
    }
    log.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py", "geoportal.wsgi"],
        cwd=ROOT,
        env=full,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped: see {log}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                warm(port)
                return process
        time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not listen within 60 s")


def warm(port: int, requests: int = 12) -> None:
    """Each worker loads Django at its first request (seconds on a loaded machine):
    concurrent requests until every worker has answered, before anything is timed."""
    import http.client
    import threading

    def one():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        conn.request("GET", "/api/v1/categories/")
        conn.getresponse().read()
        conn.close()

    threads = [threading.Thread(target=one) for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def jpeg(path: Path) -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 480), (200, 120, 40)).save(path, "JPEG", quality=80)
    return path


def _ticks(pid: int, children_reaped: bool = False) -> int:
    """utime + stime of one process (clock ticks), and of its reaped children if asked."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    own = int(fields[11]) + int(fields[12])
    return own + (int(fields[13]) + int(fields[14]) if children_reaped else 0)


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and its live children (a gunicorn master and workers)."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += _ticks(current)
            with open(f"/proc/{current}/task/{current}/children") as children:
                todo += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / os.sysconf("SC_CLK_TCK")


def postgres_cpu() -> float:
    """CPU seconds of every PostgreSQL process of the machine (servers, their live
    backends, and the backends they have reaped): a bench reads it before and after, on a
    quiet machine, to tell the database's share of a request."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/comm") as comm:
                if comm.read().strip() != "postgres":
                    continue
            with open(f"/proc/{entry}/cmdline") as cmdline:
                server = cmdline.read().startswith("/usr/lib/postgresql/")
            total += _ticks(int(entry), children_reaped=server)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / os.sysconf("SC_CLK_TCK")
