"""A real local HTTP server in a thread that records what it is sent and answers with a
status and JSON set by the test: the gateways' APIs and webhook receivers at the HTTP
boundary, with the real request format."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    method: str
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    status: int = 201
    answer: dict = field(default_factory=lambda: {"sid": "SM123", "id": 42})
    check: object = None  # a function(Received) -> int status, to verify signatures
    requests: list = field(default_factory=list)

    def __post_init__(self):
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                got = Received("POST", self.path, dict(self.headers), self.rfile.read(length))
                owner.requests.append(got)
                status = owner.check(got) if owner.check else owner.status
                body = json.dumps(owner.answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
