"""Backups: the database (pg_dump custom format) and the media files (photos, rasters,
job files) in one dated folder, and their restore into an empty database.

    <backup dir>/komin-<database>-<UTC time>/
        database.dump    pg_dump -Fc (restored with pg_restore, table by table if need be)
        media.tar.gz     MEDIA_ROOT as it was
        manifest.json    database, time, PostgreSQL version, sha256 of both files

A restore refuses a database that holds tables already (it would mix two states) and a
folder whose files do not match their checksums. pg_dump takes a consistent snapshot
without stopping the service; the media are copied after it, so a photo written in
between is on disk but not in the database, never the other way round."""

import hashlib
import json
import os

# pg_dump, pg_restore and psql, run with argument lists (no shell).
import subprocess  # nosec B404
import tarfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import connections


class BackupError(Exception):
    pass


def _libpq_env(params: dict) -> dict:
    """Connection parameters for pg_dump/pg_restore as libpq variables, never on the
    command line (where `ps` shows them)."""
    env = {**os.environ}
    # The names of libpq's variables, not values.
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}  # nosec B105
    for key, variable in names.items():
        if params.get(key):
            env[variable] = str(params[key])
    env["PGDATABASE"] = params["NAME"]
    return env


def params_from_url(url: str) -> dict:
    parts = urlsplit(url)
    return {
        "NAME": unquote(parts.path.lstrip("/")),
        "HOST": parts.hostname or "",
        "PORT": parts.port or "",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _run(command: list[str], env: dict) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True)  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def backup(*, folder: Path, params: dict | None = None, media_root: Path | None = None) -> Path:
    """Writes a new dated backup folder under `folder` and returns it."""
    params = params or connections["default"].settings_dict
    media_root = Path(media_root or settings.MEDIA_ROOT)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = Path(folder) / f"komin-{params['NAME']}-{stamp}"
    target.mkdir(parents=True)
    dump = target / "database.dump"
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump)], _libpq_env(params))
    media = target / "media.tar.gz"
    with tarfile.open(media, "w:gz") as archive:
        if media_root.is_dir():
            archive.add(media_root, arcname="media")
    manifest = {
        "database": params["NAME"],
        "created": stamp,
        "files": {dump.name: _sha256(dump), media.name: _sha256(media)},
    }
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return target


def _user_tables(env: dict) -> int:
    """Tables in the database that no extension owns (PostGIS's spatial_ref_sys is one
    an extension owns)."""
    sql = (
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog',"
        " 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND NOT EXISTS ("
        " SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')"
    )
    # psql from PATH (Debian's wrapper picks the cluster's version), a fixed query.
    done = subprocess.run(  # nosec B603 B607
        ["psql", "-X", "-A", "-t", "-c", sql], env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise BackupError(f"cannot read the target database: {done.stderr.strip()[-500:]}")
    return int(done.stdout.strip())


def _check(source: Path) -> None:
    manifest_file = source / "manifest.json"
    if not manifest_file.is_file():
        raise BackupError(f"{source.name} is not a Komin backup (no manifest.json).")
    manifest = json.loads(manifest_file.read_text())
    for name, digest in manifest["files"].items():
        if not (source / name).is_file() or _sha256(source / name) != digest:
            raise BackupError(f"{name} in {source.name} is missing or damaged (sha256).")


def _extract_media(archive_path: Path, media_root: Path) -> None:
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path, "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name.startswith("media/")]
        for member in members:
            member.name = member.name[len("media/") :]
        # The "data" filter refuses absolute paths, links out of the folder, devices.
        archive.extractall(media_root, members=[m for m in members if m.name], filter="data")


def restore(*, source: Path, params: dict, media_root: Path, jobs: int = 2) -> None:
    """Restores a backup folder into an empty database and a media folder."""
    source = Path(source)
    _check(source)
    env = _libpq_env(params)
    if _user_tables(env):
        raise BackupError(f"database {params['NAME']} is not empty: restore into a new one.")
    _run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--jobs={jobs}", "--dbname",
         params["NAME"], str(source / "database.dump")],
        env,
    )  # fmt: skip
    _extract_media(source / "media.tar.gz", Path(media_root))
