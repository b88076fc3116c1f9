"""Bodies are refused by their declared length before anything reads them."""

import socket
import threading
from urllib.parse import urlsplit

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.core.wsgi import get_wsgi_application
from django.test import Client

HUGE = 300 * 1024 * 1024


class UnreadableStream:
    """A request body that fails the test if anything reads it."""

    def read(self, *args, **kwargs):
        raise AssertionError("the body was read before its length was checked")

    readline = read


def post_declared(client, path: str, length: int | str, **extra):
    extra.setdefault("CONTENT_TYPE", "application/json")
    return client.generic(
        "POST",
        path,
        b"",
        **{"CONTENT_LENGTH": str(length), "wsgi.input": UnreadableStream()},
        **extra,
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/reports/HT-2026-000001/support/",
        "/api/v1/reports/HT-2026-000001/follow/",
        "/api/v1/reports/subscriptions/",
        "/api/v1/auth/token/",
        "/open311/v2/requests.json",
        "/open311/v2/servicerequestupdates.xml",
        "/admin/login/",
        "/login/",
        "/i18n/setlang/",
        "/api/v1/analytics/within/",
        "/api/v1/layers/schools/features/",
    ],
)
def test_a_huge_declared_body_is_refused_unread_with_the_cap_named(path, db):
    response = post_declared(Client(), path, HUGE, CONTENT_TYPE="application/x-www-form-urlencoded")
    assert response.status_code == 413
    body = response.json()
    assert body["error"] == "too_large"
    assert str(HUGE) in body["detail"] and "limit" in body["detail"]


def test_small_json_routes_get_the_default_cap(db, settings):
    settings.KOMIN_BODY_MAX_BYTES = 2000
    response = post_declared(Client(), "/api/v1/reports/HT-2026-000001/support/", 2001)
    assert response.status_code == 413 and "2000 bytes" in response.json()["detail"]


def test_upload_routes_declare_a_cap_from_their_own_limit(db, settings):
    settings.KOMIN_PHOTO_MAX_BYTES = 1000
    settings.KOMIN_REPORT_MAX_REQUEST_BYTES = 5000
    settings.KOMIN_IMPORT_MAX_BYTES = 3000
    settings.KOMIN_RASTER_MAX_BYTES = 4000
    margin = 256 * 1024
    client = Client()
    cases = {
        "/api/v1/reports/": 5000,
        "/api/v1/reports/HT-2026-000001/transition/": 1000 + margin,
        "/open311/v2/requests.json": 1000 + margin,
        "/api/v1/layers/schools/import/": 3000 + margin,
        "/api/v1/analytics/rasters/": 4000 + margin,
    }
    for path, cap in cases.items():
        response = post_declared(
            client, path, cap + 1, CONTENT_TYPE="multipart/form-data; boundary=x"
        )
        assert response.status_code == 413, path
        assert f"is {cap} bytes" in response.json()["detail"], path


def test_a_body_within_its_cap_reaches_the_view(db, settings):
    settings.KOMIN_BODY_MAX_BYTES = 100
    response = Client().post(
        "/api/v1/reports/HT-2026-000001/support/", "{}", content_type="application/json"
    )
    assert response.status_code == 404  # the view ran: there is no such report


def test_a_chunked_body_without_length_is_refused(db):
    response = Client().generic(
        "POST",
        "/api/v1/reports/HT-2026-000001/support/",
        b"",
        **{"wsgi.input": UnreadableStream(), "HTTP_TRANSFER_ENCODING": "chunked"},
    )
    assert response.status_code == 411
    assert "Content-Length" in response.json()["detail"]


def test_a_content_length_that_is_not_a_number_is_refused(db):
    response = post_declared(Client(), "/open311/v2/requests.json", "12abc")
    assert response.status_code == 400
    assert "12abc" in response.json()["detail"]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def http_server(db):
    """Django served over real HTTP from a thread. Not pytest-django's `live_server`: that
    one flushes the whole test database afterwards, and with it the Haiti boundaries that
    later tests of the run load once and rely on."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=True)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_a_live_server_answers_413_without_waiting_for_the_body(http_server):
    """Headers announce 300 MB, a few bytes follow: the answer must come at once (before,
    the server waited for the 300 MB and the socket timed out)."""
    address = urlsplit(http_server)
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(
            b"POST /open311/v2/requests.json HTTP/1.1\r\n"
            b"Host: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {HUGE}\r\n\r\n".encode()
            + b"service_code=pothole"
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") or answer.startswith(b"HTTP/1.0 413"), answer[:200]


def test_upload_caps_are_for_multipart_only_json_gets_the_default(db, settings):
    """A 30 MB JSON report would be parsed whole into memory: only multipart bodies (whose
    files Django streams to disk) get the upload cap."""
    settings.KOMIN_BODY_MAX_BYTES = 4000
    response = post_declared(Client(), "/api/v1/reports/", 4001)
    assert response.status_code == 413 and "is 4000 bytes" in response.json()["detail"]
    response = post_declared(
        Client(),
        "/open311/v2/requests.json",
        4001,
        CONTENT_TYPE="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


def test_a_multipart_answers_field_of_megabytes_is_refused_before_parsing(api, cat):
    huge = '{"size": "large", "x": "' + "a" * 30_000 + '"}'
    response = api.post(
        "/api/v1/reports/",
        {"category": "pothole", "lat": "18.5392", "lon": "-72.3364", "answers": huge},
        format="multipart",
    )
    assert response.status_code == 400
    assert "answers take at most 20000" in response.json()["detail"]
