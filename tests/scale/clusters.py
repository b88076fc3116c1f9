"""The private primary and streaming replica of scripts/replica.sh, started by the tests
that need them (created on first use, migrated by Django: ~30 s once, ~3 s after)."""

import os
import subprocess
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "replica.sh"
PYTHON = ROOT / ".venv" / "bin" / "python"


def replica_script(*args: str) -> str:
    done = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@cache
def clusters() -> dict[str, str]:
    """{"primary": url, "replica": url}, both up and the primary migrated."""
    urls = dict(line.split("=", 1) for line in replica_script("start").split())
    found = {"primary": urls["KOMIN_PRIMARY_URL"], "replica": urls["KOMIN_REPLICA_URL"]}
    migrate = subprocess.run(
        [str(PYTHON), "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=django_env(found["primary"]),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    return found


def django_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KOMIN_REPLICA", "DATABASE"))}
    env.update(DATABASE_URL=database_url, KOMIN_DEV="1", **extra)
    return env
