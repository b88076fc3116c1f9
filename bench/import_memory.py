"""Peak memory and time of importing one large GeoJSON (a dry run: every row read and
checked, nothing written), in a fresh process per run.

    .venv/bin/python bench/import_memory.py [--mb 60] [--compare-with /path/to/other/checkout]

The file is generated (points with four attributes) in a temporary folder. With
--compare-with, the same file is imported by another checkout's code (e.g. a worktree of
an older commit) with this virtualenv, so the figures sit side by side."""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geoportal.settings")
os.environ.setdefault("KOMIN_DEV", "1")
import django
django.setup()
from layers.services.imports import ImportOptions, import_file
start = time.monotonic()
report = import_file(path=__import__("pathlib").Path(sys.argv[1]),
                     options=ImportOptions(layer="bench-import", id_field="code", dry_run=True))
print(report.rows, report.valid, round(time.monotonic() - start, 1),
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def write_geojson(path: Path, megabytes: float) -> int:
    rows = 0
    with open(path, "w") as out:
        out.write('{"type": "FeatureCollection", "features": [\n')
        while out.tell() < megabytes * 1024 * 1024:
            feature = {
                "type": "Feature",
                "properties": {"code": f"B{rows}", "name": f"Puits {rows}", "depth": rows % 97,
                               "status": "ok" if rows % 3 else "broken"},
                "geometry": {"type": "Point",
                             "coordinates": [-72.9 + (rows % 9000) * 1e-4, 18.2 + (rows // 9000) * 1e-4]},
            }  # fmt: skip
            out.write(("," if rows else "") + json.dumps(feature) + "\n")
            rows += 1
        out.write("]}\n")
    return rows


def measure(tree: Path, path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=tree, env=env, capture_output=True,
        text=True, timeout=900,
    )  # fmt: skip
    if done.returncode != 0:
        return f"failed: {done.stderr.strip().splitlines()[-1]}"
    rows, valid, seconds, peak = done.stdout.split()[-4:]
    return f"{rows} rows, {valid} valid, {seconds} s, peak memory {peak} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=60, help="size of the GeoJSON in MiB")
    parser.add_argument("--compare-with", type=Path, help="another checkout to measure too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="komin-bench-import-") as folder:
        path = Path(folder) / "big.geojson"
        started = time.monotonic()
        rows = write_geojson(path, args.mb)
        size = path.stat().st_size / 1024 / 1024
        print(
            f"GeoJSON: {size:.1f} MiB, {rows} points (written in {time.monotonic() - started:.1f} s)"
        )
        print(f"this checkout ({ROOT.name}): {measure(ROOT, path)}")
        if args.compare_with:
            print(f"{args.compare_with}: {measure(args.compare_with.resolve(), path)}")


if __name__ == "__main__":
    main()
