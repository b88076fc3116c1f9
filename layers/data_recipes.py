"""Recipes: files that nobody publishes as such but that a recorded, deterministic
transformation of a published data set gives byte for byte (`made_with` in
data/*/sources.toml). The source data set is fetched and verified first (mirror, else its
publisher), the recipe runs in a scratch folder, and the result must match the recorded
sha256 before it is put in place, like any download.

The one tool so far is GDAL's ogr2ogr (Debian's gdal-bin, installed by scripts/setup.sh):
an SQL selection of a published layer written as GeoJSON. GeoJSON output is exactly
reproducible for one GDAL version; another version may write numbers or members
differently, and the checksum then refuses the result and says so."""

import shutil

# Runs ogr2ogr with an argument list, never a shell.
import subprocess  # nosec B404
from pathlib import Path

from layers.data_fetch import WantedFile

TIMEOUT_SECONDS = 300


def make_file(want: WantedFile, scratch: Path, tried: list[str]) -> Path | None:
    from layers.datasets import DatasetError, get_dataset

    recipe = want.made_with or {}
    if recipe.get("tool") != "ogr2ogr":
        tried.append(f"{want.name}: unknown recipe tool {recipe.get('tool')!r}")
        return None
    try:
        source = get_dataset(recipe["from"])
        source.verify()
    except DatasetError as exc:
        tried.append(f"{want.name} is made from {recipe['from']}, which is missing: {exc}")
        return None
    return _ogr2ogr(want, recipe, source.folder / recipe["file"], scratch, tried)


def _ogr2ogr(want: WantedFile, recipe: dict, source: Path, scratch: Path, tried) -> Path | None:
    tool = shutil.which("ogr2ogr")
    if tool is None:
        tried.append(f"{want.name}: ogr2ogr (Debian package gdal-bin) is not installed")
        return None
    out = scratch / want.name
    out.unlink(missing_ok=True)
    command = [tool, "-f", "GeoJSON", str(out), str(source), "-dialect", "SQLite"]
    command += ["-sql", recipe["sql"], "-nln", recipe.get("layer_name", out.stem)]
    if recipe.get("geometry_type"):
        command += ["-nlt", recipe["geometry_type"]]
    try:
        # A fixed tool and an argument list (no shell); the SQL comes from our catalogue.
        done = subprocess.run(  # nosec B603
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        tried.append(f"{want.name}: ogr2ogr took more than {TIMEOUT_SECONDS} s")
        return None
    if done.returncode != 0 or not out.is_file():
        tried.append(f"{want.name}: ogr2ogr failed ({done.stderr.strip()[-300:]})")
        return None
    return out
