"""A live Komin for browser tests: its own database with the demo data, served by
gunicorn on a free port in 8051-8059, and Debian's Chromium driven by Playwright.

The database (`<test database>_browser`) is kept between runs: migrate and load_demo
are idempotent, so a second run only starts the server."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
PORTS = range(8051, 8060)
CHROMIUM = os.environ.get("KOMIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8051-8059 for the browser tests' server")


def browser_database_url(fresh: bool = False) -> str:
    """A database next to the test database, created (empty) if missing, or dropped and
    created again with `fresh` (its photos are gone: a new checkout)."""
    db = settings.DATABASES["default"]
    base = db["TEST"].get("NAME") or "test_" + db["NAME"].removeprefix("test_")
    # Under pytest-xdist the test database is test_<name>_gw<N>; the browser tests all run
    # on one process (conftest.py), so one browser database serves whichever it is.
    base = re.sub(r"_gw\d+$", "", base)
    name = f"{base}_browser"
    creds = {"user": db["USER"], "password": db["PASSWORD"], "host": db["HOST"], "port": db["PORT"]}
    conn = psycopg2.connect(dbname="postgres", **creds)
    conn.autocommit = True
    with conn.cursor() as cursor:
        if fresh:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    # The project's own URL with only the database name changed (keeps socket or host).
    url = os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def forget_rate_counts(database_url: str) -> None:
    """The browser database is kept between runs: counts of a run an hour ago (reports,
    "me too", log-ins from 127.0.0.1) must not refuse this run's journeys."""
    conn = psycopg2.connect(database_url)
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("DELETE FROM komin_rate_counter")
    conn.close()


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def listening(log_path: Path, url: str, process: subprocess.Popen, timeout: float = 60) -> bool:
    """True once gunicorn logs that it listens at `url`; False if it gave up on the port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = log_path.read_text(errors="replace")
        if f"Listening at: {url}" in text:
            return True
        if process.poll() is not None or "Connection in use" in text:
            return False
        time.sleep(0.2)
    return False


class LiveServer:
    def __init__(self, tmp: Path):
        self.port = 0
        self.url = ""
        # Photos live as long as the database that names them: a checkout without the
        # folder (a new clone) starts the kept database again, else pages show 404s.
        media = ROOT / ".local" / "browser-media"
        database_url = browser_database_url(fresh=not media.exists())
        media.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "KOMIN_DEV": "1",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MEDIA_ROOT": str(media / urlsplit(database_url).path.strip("/")),
            "KOMIN_BASEMAP_URL": "",
            # Live update streams end (and reconnect) within seconds, so that a page is
            # "network idle" between them and a closed browser frees its thread at once.
            "KOMIN_EVENTS_MAX_SECONDS": "2",
            "KOMIN_EVENTS_HEARTBEAT_SECONDS": "1",
            "KOMIN_EVENTS_MAX_STREAMS": "6",
            "KOMIN_EVENTS_MAX_PER_USER": "6",
        }
        self.process = None

    def prepare(self) -> None:
        """Migrated and loaded with the demo; a kept database that an earlier run left
        broken (a run stopped halfway through the demo) is started again, once."""
        try:
            manage(self.env, "migrate", "--no-input", "-v", "0")
            manage(self.env, "load_demo")
        except RuntimeError:
            self.env["DATABASE_URL"] = browser_database_url(fresh=True)
            manage(self.env, "migrate", "--no-input", "-v", "0")
            manage(self.env, "load_demo")

    def start(self) -> None:
        self.prepare()
        forget_rate_counts(self.env["DATABASE_URL"])
        # The port is chosen only now (migrate and the demo take minutes, in which another
        # worktree's server may take a port free before), and the server is ours only once
        # our gunicorn says it listens there: another server answering on it does not count.
        log_path = ARTIFACTS / "server.log"
        for _ in PORTS:
            self.port = free_port()
            self.url = f"http://127.0.0.1:{self.port}"
            self.log = open(log_path, "w")  # noqa: SIM115
            self.process = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "geoportal.wsgi",
                 "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "120"],
                cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
            )  # fmt: skip
            if listening(log_path, self.url, self.process):
                wait_until_up(self.url + "/", self.process)
                return
            self.stop()
        raise RuntimeError("no port in 8051-8059 could be bound for the browser tests' server")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.log.close()


class Guard:
    """Records console errors, uncaught exceptions and any request to another host."""

    def __init__(self, base_url: str):
        self.origin = urlsplit(base_url).netloc
        self.problems: list[str] = []

    def watch(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        page.on("request", self._request)

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob"):
            return
        if parts.netloc != self.origin:
            self.problems.append(f"request to an outside host: {request.url}")
