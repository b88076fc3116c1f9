"""Worst case of one anonymous request of each kind, under the limits: wall time and the
peak memory (RSS) of the gunicorn worker that served it. Goal: none over 5 s or 300 MB.

    make bench-worst            # or: .venv/bin/python bench/worst_case.py [--port 8097]

Starts its own gunicorn (one sync worker, as in production a worker serves one request
at a time) on the development database with the demo loaded. Before each request the
worker's peak-RSS counter is reset (`/proc/<pid>/clear_refs`, Linux), after it the peak
(`VmHWM`) is read, so each figure is that request's own peak. Reports the bench files are
deleted at the end; photos go to a temporary MEDIA_ROOT. Runs in about a minute.

Kinds: photos (the largest set the decode budgets let through, the reviewer's PNG bomb,
the largest JPEG), bodies (the largest JSON and multipart bodies the caps let through,
a huge declared body), and the heaviest anonymous reads (public rates without cache,
stats, GeoJSON pages at their caps, boundaries at full detail, search).
"""

import argparse
import http.client
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from PIL import Image  # noqa: E402

from layers.models import Layer  # noqa: E402
from reports import conf  # noqa: E402
from reports.models import Report  # noqa: E402

GOAL_SECONDS = 5.0
GOAL_MB = 300.0
PAP = {"lat": "18.5392", "lon": "-72.3364"}


# --- the worker ------------------------------------------------------------------------


def start_server(port: int, media: str) -> tuple[subprocess.Popen, int]:
    env = dict(
        os.environ,
        MEDIA_ROOT=media,
        # The bench posts more reports than an hour's anonymous allowance.
        KOMIN_RATE_ANON_REPORTS="10000/hour",
        KOMIN_RATE_ANON_ACTIONS="10000/hour",
    )
    command = [str(ROOT / ".venv/bin/gunicorn"), "geoportal.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "120"]
    server = subprocess.Popen([*command, "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(300):
        try:
            status, _ = get(port, "/api/v1/categories/")
            if status == 200:
                children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text()
                return server, int(children.split()[0])
        except OSError:
            pass
        time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def memory(pid: int) -> dict[str, float]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            values[name] = int(rest.split()[0]) / 1024
    return values


def reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


# --- HTTP --------------------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes = b"", headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request(method, path, body=body or None, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, data


def get(port: int, path: str):
    return request(port, "GET", path)


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, data in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def declared_only(port: int, path: str, length: int):
    """Headers announcing `length` bytes, then a few: the answer must not wait for more."""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {length}\r\n\r\n{{}}".encode()
        )
        answer = sock.recv(65536)
    return int(answer.split()[1]), answer


# --- inputs ------------------------------------------------------------------------------


def png(size: tuple[int, int], noisy: tuple[int, int] = (0, 0), mode: str = "RGB") -> bytes:
    """A flat image with a patch of noise: about the least file bytes the bomb ratio allows."""
    image = Image.new(mode, size, (120, 140, 90, 255)[: len(mode)])
    if noisy[0]:
        image.paste(Image.frombytes(mode, noisy, os.urandom(noisy[0] * noisy[1] * len(mode))))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def png_bomb(side: int) -> bytes:
    sys.path.insert(0, str(ROOT))
    from tests.reports.factories import png_bomb as build

    return build(side)


def jpeg(width: int, height: int, progressive: bool = False) -> bytes:
    small = Image.frombytes("RGB", (40, 30), os.urandom(40 * 30 * 3))
    image = small.resize((width, height), Image.Resampling.BILINEAR)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=92, progressive=progressive)
    return out.getvalue()


def report_fields() -> dict[str, str]:
    return {"category": "pothole", **PAP, "answers": '{"size": "large"}'}


def cases():
    """(kind, label, function(port) -> (status, body)) for every request measured."""
    photo_limit = conf.get("KOMIN_PHOTO_MAX_BYTES")
    big = png((4000, 3000), (1000, 200))  # 48 MB once decoded (the photo budget), ~0.6 MB
    max_jpeg = jpeg(7300, 5479)  # 40 M pixels, the pixel limit
    prog = jpeg(4000, 3000, progressive=True)
    bomb = png_bomb(6320)
    for name, data in (("png 12MP", big), ("jpeg 40MP", max_jpeg)):
        assert len(data) <= photo_limit, (name, len(data))

    def post_report(files):
        def run(port):
            body, headers = multipart(report_fields(), files)
            return request(port, "POST", "/api/v1/reports/", body, headers)

        return run

    yield (
        "photo",
        "report, 2 PNGs at the request decode budget (2 x 48 MB decoded)",
        post_report([("photos", f"p{i}.png", big) for i in range(2)]),
    )
    yield (
        "photo",
        "report, 5 x the reviewer's 6,320 px PNG bomb",
        post_report([("photos", f"b{i}.png", bomb) for i in range(5)]),
    )
    yield (
        "photo",
        "report, 40 M pixel JPEG (pixel limit)",
        post_report([("photos", "big.jpg", max_jpeg)]),
    )
    yield (
        "photo",
        "report, 12 M pixel progressive JPEG",
        post_report([("photos", "prog.jpg", prog)]),
    )

    def open311_media(port):
        body, headers = multipart(
            {"service_code": "pothole", "lat": PAP["lat"], "long": PAP["lon"]},
            [("media", "m.png", big)],
        )
        return request(port, "POST", "/open311/v2/requests.json", body, headers)

    yield "photo", "open311 POST with media, no api_key", open311_media

    cap = int(os.environ.get("KOMIN_BODY_MAX_BYTES", 1024 * 1024))
    keys = {f"q{i}": i for i in range(cap // 12)}
    answers = json.dumps(keys)[: cap - 200]
    answers = answers[: answers.rfind(",")] + "}"

    def json_report(port):
        body = json.dumps({**report_fields(), "answers": json.loads(answers)}).encode()
        assert len(body) <= cap
        return request(port, "POST", "/api/v1/reports/", body, {"Content-Type": "application/json"})

    yield (
        "body",
        f"report JSON at the default cap ({len(answers) // 1024} kB of answers)",
        json_report,
    )

    form_limit = 5 * 1024 * 1024 - 4096  # Django's DATA_UPLOAD_MAX_MEMORY_SIZE for fields
    big_answers = json.dumps({f"q{i}": i for i in range(form_limit // 12)})[:form_limit]
    big_answers = big_answers[: big_answers.rfind(",")] + "}"

    def multipart_answers(port):
        body, headers = multipart({**report_fields(), "answers": big_answers}, [])
        return request(port, "POST", "/api/v1/reports/", body, headers)

    yield "body", "report multipart, 5 MB answers field", multipart_answers
    yield (
        "body",
        "support/ with 300 MB declared",
        lambda port: declared_only(
            port, "/api/v1/reports/HT-2026-000001/support/", 300 * 1024 * 1024
        ),
    )
    yield (
        "body",
        "report with 30 MB declared (multipart cap)",
        lambda port: declared_only(port, "/api/v1/reports/", 30 * 1024 * 1024),
    )

    layer = (
        Layer.objects.filter(visibility="public")
        .annotate(n=Count("features"))
        .order_by("-n")
        .first()
    )
    fresh = time.strftime("2000-01-%d", time.gmtime(time.time() % (27 * 86400) + 86400))
    reads = [
        f"/api/v1/analytics/public/rates/?level=section&from={fresh}",
        "/stats/?period=week&from=2000-01-01",
        "/api/v1/reports/geojson/?limit=5000",
        "/api/v1/reports/?page_size=100",
        "/api/v1/areas/?level=section&zoom=18",
        "/ogc/collections/areas-section/items?limit=10000",
        "/tiles/areas-section/8/75/114.pbf",
        "/search/?q=a",
    ]
    if layer:
        reads.append(f"/api/v1/layers/{layer.slug}/features/?limit=10000")
    for path in reads:
        yield "read", path, lambda port, path=path: get(port, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8097)
    args = parser.parse_args()
    print("worst case of one anonymous request per kind (1 gunicorn sync worker)")
    print("building inputs ...", flush=True)
    measured = list(cases())
    before = set(Report.objects.values_list("pk", flat=True))
    with tempfile.TemporaryDirectory(prefix="komin-bench-media-") as media:
        server, worker = start_server(args.port, media)
        try:
            exact = reset_peak(worker)
            if not exact:
                print("(cannot reset the peak counter: figures are the worker's peak so far)")
            print(
                f"{'kind':<6} {'request':<66} {'status':>6} {'time s':>7} {'peak MB':>8} {'+MB':>6}"
            )
            worst = {"time": 0.0, "peak": 0.0}
            for kind, label, run in measured:
                reset_peak(worker)
                base = memory(worker)["VmRSS"]
                start = time.perf_counter()
                status, _ = run(args.port)
                elapsed = time.perf_counter() - start
                peak = memory(worker)["VmHWM"]
                worst["time"] = max(worst["time"], elapsed)
                worst["peak"] = max(worst["peak"], peak)
                flag = " !" if elapsed > GOAL_SECONDS or peak > GOAL_MB else ""
                print(
                    f"{kind:<6} {label[:66]:<66} {status:>6} {elapsed:>7.2f} "
                    f"{peak:>8.0f} {peak - base:>6.0f}{flag}",
                    flush=True,
                )
            ok = worst["time"] <= GOAL_SECONDS and worst["peak"] <= GOAL_MB
            print(
                f"worst: {worst['time']:.2f} s, {worst['peak']:.0f} MB peak RSS "
                f"(goal: {GOAL_SECONDS:.0f} s, {GOAL_MB:.0f} MB) -> {'met' if ok else 'NOT met'}"
            )
        finally:
            server.terminate()
            server.wait()
            Report.objects.exclude(pk__in=before).delete()


if __name__ == "__main__":
    main()
