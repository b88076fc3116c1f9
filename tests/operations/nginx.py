"""nginx from deploy/nginx/, on a free loopback port, in front of gunicorn servers: for the
tests and bench/nginx_tiles.py. Runs without root files: everything under `run_dir`."""

import http.client
import subprocess
import time
from pathlib import Path

from geoportal.nginx import site, standalone
from tests.live import free_port

NGINX = "/usr/sbin/nginx"


class Nginx:
    def __init__(self, run_dir: Path, upstreams: list[str], *, tile_cache: bool = True,
                 workers: int = 1, static_root: Path | None = None):  # fmt: skip
        self.port = free_port()
        self.run_dir = run_dir
        conf = site(
            upstreams=upstreams,
            listen=f"127.0.0.1:{self.port}",
            static_root=static_root,
            cache_dir=run_dir / "cache",
            cache_size="256m",
            tile_cache=tile_cache,
        )
        self.conf = standalone(run_dir=run_dir, site_conf=conf, workers=workers)
        self.process = None

    def start(self) -> "Nginx":
        error_log = self.run_dir / "error.log"
        self.process = subprocess.Popen(
            [NGINX, "-c", str(self.conf), "-e", str(error_log)],
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {error_log.read_text()}")
            try:
                self.get("/healthz")
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not answer: {error_log.read_text()}")

    def get(self, path: str, headers: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
