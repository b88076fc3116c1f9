"""Komin served by gunicorn (with the project's gunicorn.conf.py) on a free loopback port,
reading the test database: for tests that need real clients (GDAL, raw sockets).

The test database's committed data (the session's `haiti` fixture) is what it serves;
rows a test writes inside its transaction are invisible to it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_database_url() -> str:
    url = os.environ.get("DATABASE_URL") or (ROOT / ".local" / "database_url").read_text().strip()
    return urlunsplit(urlsplit(url)._replace(path=f"/{connection.settings_dict['NAME']}"))


class Gunicorn:
    def __init__(self, log: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "KOMIN_DEV": "1",
            "DEBUG": "0",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "MEDIA_ROOT": str(log.parent / "media"),
            "STATIC_ROOT": str(settings.STATIC_ROOT),
            **env,
        }
        self.log_path = log
        self.process = None

    def start(self) -> "Gunicorn":
        self.log = open(self.log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
             "geoportal.wsgi"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()  # never leave a server behind a failed start
        raise RuntimeError(f"gunicorn did not answer: {self.log_path.read_text()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a worker stuck on a client
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
