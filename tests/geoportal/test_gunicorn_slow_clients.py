"""gunicorn as configured (gunicorn.conf.py) holds under idle keep-alive connections and
a slow upload: with one worker and a 2-second worker timeout, ten idle connections and
an upload trickled over 5 seconds, another client's request is answered while the upload
is still in flight, and the upload itself is answered, not killed at the timeout."""

import json
import socket
import threading
import time
import urllib.request

import pytest

from tests.live import Gunicorn

pytestmark = pytest.mark.django_db
IDLE = 10
TRICKLE_SECONDS = 5


@pytest.fixture
def server(tmp_path, django_db_blocker):
    with django_db_blocker.unblock():
        live = Gunicorn(
            tmp_path / "server.log",
            WORKERS="1",
            GUNICORN_THREADS="4",
            GUNICORN_TIMEOUT="2",
            GUNICORN_KEEPALIVE="30",
        ).start()
    yield live
    live.stop()


def idle_connection(port: int) -> socket.socket:
    """A browser's keep-alive connection: one request answered, then silence."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /ogc/conformance HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    return sock


def slow_upload(port: int, page_answered: threading.Event, result: dict) -> None:
    """A phone on 3G: the body arrives a few bytes at a time, for longer than the worker
    timeout, and its last byte only once the other client has been answered (so the
    order is certain, not a race)."""
    body = json.dumps({"username": "crew", "password": "x" * 40}).encode()
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(
        b"POST /api/v1/auth/token/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
    )
    pause = TRICKLE_SECONDS / len(body)
    for i in range(len(body) - 1):
        sock.sendall(body[i : i + 1])
        time.sleep(pause)
    result["page_answered_during_upload"] = page_answered.wait(timeout=60)
    sock.sendall(body[-1:])
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    result["status"] = answer.split(b" ", 2)[1].decode() if answer else "no answer"
    sock.close()


def test_idle_and_slow_clients_do_not_stall_other_clients(server):
    idle = [idle_connection(server.port) for _ in range(IDLE)]
    upload: dict = {}
    page_answered = threading.Event()
    uploader = threading.Thread(target=slow_upload, args=(server.port, page_answered, upload))
    uploader.start()
    time.sleep(1)  # the upload is under way, every idle connection still open
    try:
        with urllib.request.urlopen(server.url + "/ogc/conformance", timeout=30) as page:
            assert page.status == 200
            page_answered.set()
    finally:
        page_answered.set()
        uploader.join(timeout=90)
        for sock in idle:
            sock.close()
    # The page was answered while the upload was still arriving...
    assert upload["page_answered_during_upload"] is True
    # ...and the upload, longer than the worker timeout, was answered by the view.
    assert upload["status"] == "400", upload
    assert "WORKER TIMEOUT" not in server.log_path.read_text()
