"""deploy/nginx/ in front of gunicorn on the test database: tiles cached by nginx, the
client address passed safely to the rate limits, oversized bodies refused by nginx in
Komin's error format, static files served by nginx, metrics in gunicorn's multiprocess
mode (PROMETHEUS_MULTIPROC_DIR)."""

import http.client
import uuid

import pytest

from geoportal.nginx import limits
from tests.live import Gunicorn
from tests.operations.nginx import Nginx

TILE = "/tiles/areas-departement/7/38/57.pbf"


@pytest.fixture(scope="module")
def stack(haiti, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    (folder / "static").mkdir()
    (folder / "static" / "hello.txt").write_text("served by nginx")
    server = Gunicorn(
        folder / "gunicorn.log",
        WORKERS="1",  # one is enough for what is tested here, and starts twice as fast
        GUNICORN_THREADS="4",
        GUNICORN_GRACEFUL_TIMEOUT="1",
        KOMIN_TRUSTED_PROXIES="127.0.0.1",
        KOMIN_RATE_ANON_READS="2/minute",
        KOMIN_REDIS_URL="redis://127.0.0.1:6379/0",
        KOMIN_REDIS_PREFIX=f"komin-nginx-test-{uuid.uuid4().hex[:8]}:",
        PROMETHEUS_MULTIPROC_DIR=str(folder / "metrics"),
        KOMIN_REQUEST_LOG="0",
    ).start()
    server.metrics_dir = folder / "metrics"
    proxy = Nginx(folder / "run", [f"127.0.0.1:{server.port}"], static_root=folder / "static")
    try:
        yield proxy.start(), server
    finally:
        proxy.stop()
        server.stop()


def test_a_tile_is_cached_by_nginx(stack):
    proxy, _ = stack
    first = proxy.get(TILE)
    second = proxy.get(TILE)
    assert first[0] == 200 and first[2], first[:2]
    assert first[1]["X-Cache-Status"] in ("MISS", "EXPIRED")
    assert second[1]["X-Cache-Status"] == "HIT" and second[2] == first[2]


def test_a_forged_forwarded_address_does_not_make_a_new_client(stack):
    """Each request claims another address; the limit (2 a minute) still counts one client."""
    proxy, _ = stack
    statuses = [
        proxy.get("/search/?q=jacmel", {"X-Forwarded-For": f"198.51.100.{n}"})[0] for n in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_a_body_over_the_limit_is_refused_by_nginx_with_413(stack):
    proxy, _ = stack
    declared = int(limits()["BODY_MAX"].rstrip("k")) * 1024 + 1
    connection = http.client.HTTPConnection("127.0.0.1", proxy.port, timeout=10)
    connection.putrequest("POST", "/api/v1/reports/")
    connection.putheader("Content-Type", "application/json")
    connection.putheader("Content-Length", str(declared))
    connection.endheaders()  # nothing sent: nginx answers from the header alone
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 413 and b'"too_large"' in body


def test_static_files_are_served_by_nginx_and_media_never(stack):
    proxy, _ = stack
    status, headers, body = proxy.get("/static/hello.txt")
    assert status == 200 and body == b"served by nginx" and "public" in headers["Cache-Control"]
    assert proxy.get("/media/reports/photos/x.jpg")[0] == 404


def test_metrics_are_read_from_the_multiprocess_folder_under_gunicorn(stack):
    proxy, server = stack
    for n in range(6):
        proxy.get(f"/tiles/areas-commune/9/{150 + n}/228.pbf")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/metrics")
    text = connection.getresponse().read().decode()
    connection.close()
    counted = sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("komin_tile_cache_total")
    )
    assert counted >= 7  # these six and the first test's, as written to the folder
    assert any(stack_file.suffix == ".db" for stack_file in server.metrics_dir.iterdir())
    assert proxy.get("/metrics")[0] == 404  # not published through the proxy
