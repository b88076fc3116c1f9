"""Tile throughput through nginx (deploy/nginx/): two gunicorn servers behind it against one.

    make bench-nginx            # or: .venv/bin/python bench/nginx_tiles.py [--seconds 5]

Two gunicorn servers (each WORKERS workers x 4 threads, default 1 worker) on the demo
database; nginx A proxies to the first only, nginx B to both (least_conn). Clients
(processes, keep-alive) ask the same list of tiles round-robin (boundary sections and
schools around Port-au-Prince, z12-z15), in rounds of --seconds, A and B interleaved
(A B A B ...), so that the machine's other load falls on both alike.

- cache bypassed: nginx's tile cache off and Komin's tile cache off
  (KOMIN_TILE_CACHE_SECONDS=0): every tile is built by PostgreSQL through gunicorn;
- cache hit: nginx's tile cache on and warmed: nginx answers alone (gunicorn idle), the
  same for A and B, printed for scale.

Prints requests/s per round, the median of each, errors (non-2xx and dropped
connections), and the ratio B / A. On one 2-core machine, a second server adds processes,
not cores: the ratio tells how much the first server left idle, not what a second
machine would add (docs/scaling.md)."""

import argparse
import http.client
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")


def tile_paths() -> list[str]:
    import math

    paths = []
    for z in (12, 13, 14, 15):
        n = 1 << z
        cx = int((-72.33 + 180) / 360 * n)
        cy = int((1 - math.asinh(math.tan(math.radians(18.54))) / math.pi) / 2 * n)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                paths.append(f"/tiles/areas-section/{z}/{cx + dx}/{cy + dy}.pbf")
                paths.append(f"/tiles/schools/{z}/{cx + dx}/{cy + dy}.pbf")
    return paths


def client(port: int, paths: list[str], seconds: float, offset: int) -> tuple[int, int]:
    """Requests answered 2xx and errors in `seconds`, on one keep-alive connection."""
    done = errors = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    deadline = time.monotonic() + seconds
    i = offset
    while time.monotonic() < deadline:
        path = paths[i % len(paths)]
        i += 1
        try:
            connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            response.read()
            if 200 <= response.status < 300:
                done += 1
            else:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.close()
    return done, errors


def load(pool, port: int, paths: list[str], clients: int, seconds: float) -> tuple[float, int]:
    jobs = [pool.submit(client, port, paths, seconds, n * 7) for n in range(clients)]
    results = [job.result() for job in jobs]
    return sum(r[0] for r in results) / seconds, sum(r[1] for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="length of a round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per setup and case")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", default="1", help="gunicorn workers per server")
    args = parser.parse_args()

    import django

    django.setup()
    from tests.live import Gunicorn
    from tests.operations.nginx import Nginx

    folder = Path(tempfile.mkdtemp(prefix="komin-bench-nginx-"))
    common = {"WORKERS": args.workers, "GUNICORN_THREADS": "4", "KOMIN_REQUEST_LOG": "0",
              "KOMIN_TRUSTED_PROXIES": "127.0.0.1", "LOG_LEVEL": "ERROR"}  # fmt: skip
    bypass = {**common, "KOMIN_TILE_CACHE_SECONDS": "0"}
    servers = [Gunicorn(folder / f"g{n}.log", **bypass) for n in (1, 2)]
    proxies = {}
    paths = tile_paths()
    try:
        for server in servers:
            server.start()
        ups = [f"127.0.0.1:{s.port}" for s in servers]
        proxies = {
            "A one server, bypassed": Nginx(folder / "a", ups[:1], tile_cache=False, workers=2),
            "B two servers, bypassed": Nginx(folder / "b", ups, tile_cache=False, workers=2),
            "A one server, nginx hit": Nginx(folder / "ah", ups[:1], workers=2),
            "B two servers, nginx hit": Nginx(folder / "bh", ups, workers=2),
        }
        for proxy in proxies.values():
            proxy.start()
        print(f"{len(paths)} tiles, {args.clients} clients, {args.rounds} rounds of "
              f"{args.seconds:.0f} s, gunicorn {args.workers} worker(s) x 4 threads per server")  # fmt: skip
        with ProcessPoolExecutor(max_workers=args.clients) as pool:
            for proxy in proxies.values():  # warm: connections, plans, nginx caches
                load(pool, proxy.port, paths, args.clients, 1.0)
            for case in ("bypassed", "nginx hit"):
                names = [n for n in proxies if n.endswith(case)]
                rates = {n: [] for n in names}
                errors = dict.fromkeys(names, 0)
                for _ in range(args.rounds):
                    for name in names:  # interleaved
                        rate, errs = load(pool, proxies[name].port, paths, args.clients,
                                          args.seconds)  # fmt: skip
                        rates[name].append(rate)
                        errors[name] += errs
                for name in names:
                    runs = " ".join(f"{r:7.1f}" for r in rates[name])
                    print(f"{name:28} median {statistics.median(rates[name]):7.1f} req/s"
                          f"  (rounds: {runs})  errors {errors[name]}")  # fmt: skip
                a, b = (statistics.median(rates[n]) for n in names)
                print(f"{'ratio B / A, ' + case:28} {b / a:.2f}")
    finally:
        for proxy in proxies.values():
            proxy.stop()
        for server in servers:
            server.stop()


if __name__ == "__main__":
    main()
