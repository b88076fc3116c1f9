"""The private primary and streaming replica of scripts/replica.sh, started by the tests
that need them (created on first use, migrated by Django: ~30 s once, ~3 s after) and
stopped again when the test process ends if it started them (the data stays for the next
run; a pair someone had running before is left running)."""

import atexit
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
    if not (ROOT / ".local" / "replica" / "primary" / "postmaster.pid").exists():
        atexit.register(replica_script, "stop")
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


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_pgbouncer(target_url: str, folder: Path, pool_size: int = 1):
    """PgBouncer (Debian's) in transaction mode on a free port in front of target_url;
    every client shares `pool_size` server connections, so session state left by one
    transaction would show in the next. Returns the process and the URL through it."""
    import shutil
    import time
    from urllib.parse import urlparse

    binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
    assert Path(binary).exists(), "pgbouncer is not installed (scripts/setup.sh --test)"
    target = urlparse(target_url)
    database = target.path.lstrip("/")
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "users.txt").write_text(f'"{target.username}" "{target.password}"\n')
    (folder / "pgbouncer.ini").write_text(
        f"[databases]\n{database} = host={target.hostname} port={target.port} dbname={database}\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {folder}/users.txt\n"
        f"pool_mode = transaction\ndefault_pool_size = {pool_size}\nmax_client_conn = 100\n"
        "ignore_startup_parameters = extra_float_digits\n"
        f"logfile = {folder}/pgbouncer.log\n"
    )
    command = [binary, str(folder / "pgbouncer.ini")]
    if os.getuid() == 0:  # PgBouncer refuses to run as root
        subprocess.run(["chown", "-R", "postgres:", str(folder)], check=True)
        for parent in folder.parents:
            os.chmod(parent, os.stat(parent).st_mode | 0o001)
            if parent == Path("/") or parent == Path("/tmp"):
                break
        command = ["runuser", "-u", "postgres", "--", *command]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"postgres://{target.username}:{target.password}@127.0.0.1:{port}/{database}"
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process, url
        time.sleep(0.05)
    process.kill()
    raise AssertionError("pgbouncer did not listen within 10 s")
