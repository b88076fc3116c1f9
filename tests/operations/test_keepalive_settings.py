"""Keep-alive and worker restarts as shipped: a connection is closed by nginx (or the
client) before gunicorn closes it, and workers are not restarted after a number of
requests (a gthread worker doing so resets the connections it has accepted, gunicorn
issue #3038). 100 simulated users for 5 minutes (bench/load.py) met 58 resets with
restarts every 2,000 requests and 21 failed requests with a 5 s keep-alive."""

import re
import runpy
from pathlib import Path

from geoportal.nginx import site

ROOT = Path(__file__).resolve().parents[2]


def gunicorn_settings(monkeypatch) -> dict:
    for name in ("GUNICORN_KEEPALIVE", "GUNICORN_MAX_REQUESTS"):
        monkeypatch.delenv(name, raising=False)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_nginx_closes_idle_upstream_connections_before_gunicorn(monkeypatch, tmp_path):
    conf = site(
        upstreams=["127.0.0.1:8000"],
        listen="127.0.0.1:8080",
        static_root=None,
        cache_dir=tmp_path / "cache",
        cache_size="256m",
        tile_cache=True,
    )
    upstream = re.search(r"upstream komin \{(.*?)\}", conf, re.S).group(1)
    assert re.search(r"^\s*keepalive \d+;", upstream, re.M)  # connections are reused
    nginx_idle = int(re.search(r"keepalive_timeout (\d+)s;", upstream).group(1))
    assert gunicorn_settings(monkeypatch)["keepalive"] > nginx_idle


def test_workers_are_not_restarted_after_a_number_of_requests(monkeypatch):
    assert gunicorn_settings(monkeypatch)["max_requests"] == 0
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "2000")  # an operator can still choose it
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["max_requests"] == 2000
