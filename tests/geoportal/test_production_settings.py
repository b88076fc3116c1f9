"""Production settings: `check --deploy` is clean, and a weak SECRET_KEY stops the start."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db  # the shared fixtures clear the database cache
STRONG = "v8Jx2Qm4-T9sLw7Rb1Nc5Yh3Kd6Pf0Zg8Ua2Ee4Io6Oq9Ws1Xr3Ct5Vy7Bn0Mj2Hl4"


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "KOMIN_DEV")}
    env.update(
        DEBUG="0",
        KOMIN_DEV="0",
        SECRET_KEY=STRONG,
        ALLOWED_HOSTS="komin.example.org",
        CSRF_TRUSTED_ORIGINS="https://komin.example.org",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
    )
    env.update(overrides)
    return env


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    strict = manage(
        "check", "--deploy", "--tag", "security", "--fail-level", "WARNING", env=production_env()
    )
    assert strict.returncode == 0, strict.stdout + strict.stderr
    assert "System check identified no issues" in strict.stdout
    # The whole deploy check: drf-spectacular's schema warnings (W001/W002) are the
    # OpenAPI schema's own work item; nothing else may warn.
    full = manage("check", "--deploy", env=production_env())
    assert full.returncode == 0, full.stderr
    found = set(re.findall(r"\(([\w.]+\.[EW]\d+)\)", full.stdout + full.stderr))
    assert {i for i in found if not i.startswith("drf_spectacular.")} == set(), found


def env_example() -> dict:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


@pytest.mark.parametrize(
    "key",
    [
        "change-me",
        "komin-insecure-development-key",
        "django-insecure-" + "x" * 60,
        "short-but-random-Zq81",
        "a" * 80,
    ],
)
def test_a_weak_secret_key_stops_a_production_start(key):
    result = manage("check", env=production_env(SECRET_KEY=key))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr and "secrets.token_urlsafe" in result.stderr


def test_the_env_example_cannot_start_production_as_it_is():
    example = env_example()
    assert example["DEBUG"] == "0" and example["KOMIN_DEV"] == "0"
    env = production_env(**{k: v for k, v in example.items() if k != "DATABASE_URL"})
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_the_proxy_header_setting_is_read_and_checked():
    shown = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER)",
        env=production_env(),
    )
    assert shown.stdout.strip().endswith("('HTTP_X_FORWARDED_PROTO', 'https')"), shown.stderr
    bad = manage("check", env=production_env(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto"))
    assert bad.returncode != 0 and "SECURE_PROXY_SSL_HEADER" in bad.stderr
