"""Live check of optimistic concurrency (not collected by pytest): against a running demo
server with several workers, fires concurrent transitions of one report at the same
version; exactly one must win, the others get 409, and one change is recorded.

    .venv/bin/python tests/reports/live_race_check.py http://127.0.0.1:8000
"""

import json
import sys
import threading
import urllib.error
import urllib.request

B = (sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000").rstrip("/") + "/api/v1"


def call(method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body else None
    req = urllib.request.Request(B + path, method=method, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def main() -> int:
    login = {"username": "supervisor", "password": "komin-supervisor-demo"}
    token = call("POST", "/auth/token/", login)[1]["token"]
    failures = 0
    for _ in range(5):
        new = {"category": "pothole", "lat": 18.54, "lon": -72.33, "answers": {"size": "large"}}
        report = call("POST", "/reports/", new, token)[1]
        ref, version = report["reference"], report["version"]
        targets = ["acknowledged", "in_progress", "resolved", "closed", "not_responsible"] * 2
        codes = []
        barrier = threading.Barrier(len(targets))

        def go(target, ref=ref, version=version, barrier=barrier, codes=codes):
            barrier.wait()
            body = {"status": target, "version": version}
            codes.append(call("POST", f"/reports/{ref}/transition/", body, token)[0])

        threads = [threading.Thread(target=go, args=(t,)) for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        updates = call("GET", f"/reports/{ref}/history/", None, token)[1]["updates"]
        recorded = sum(u["kind"] == "transition" for u in updates)
        ok = sorted(codes) == [200] + [409] * (len(targets) - 1) and recorded == 1
        failures += not ok
        print(ref, sorted(codes), "transitions recorded:", recorded, "ok" if ok else "FAILED")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
