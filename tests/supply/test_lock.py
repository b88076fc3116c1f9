"""The hashed dependency lock: consistent with requirements.in, and hand-added pins folded in."""

import importlib.util
import re

import pytest
from django.conf import settings

ROOT = settings.BASE_DIR
spec = importlib.util.spec_from_file_location("fold_pins", ROOT / "scripts/fold_pins.py")
fold_pins = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fold_pins)

LOCKED = """\
django==5.2.19 \\
    --hash=sha256:aaaa
    # via -r requirements.in
celery==5.4.0
Pillow==12.0.0
"""


def test_every_locked_package_has_hashes_and_every_direct_pin_is_locked():
    lock = (ROOT / "requirements.txt").read_text()
    entries = re.findall(
        r"^([A-Za-z0-9][\w.-]*)==(\S+)( \\\n(?:    --hash=sha256:\w+.*\n)+)?", lock, re.M
    )
    assert entries and all(hashes for _, _, hashes in entries), "run `make lock`"
    locked = {fold_pins.canonical(name): version for name, version, _ in entries}
    for line in (ROOT / "requirements.in").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            assert locked.get(fold_pins.canonical(name)) == version, f"{line}: run `make lock`"


@pytest.mark.parametrize(
    "lock",
    ["open311/clients/georeport-lock.txt", "bench/locks/tipg.txt", "bench/locks/pygeoapi.txt"],
)
def test_the_locks_of_tools_pin_every_package_with_hashes(lock):
    text = (ROOT / lock).read_text()
    pins = re.findall(r"^[A-Za-z0-9][\w.-]*==\S+(.*)$", text, re.M)
    assert pins and all(rest.strip() == "\\" for rest in pins)  # each continues with hashes
    assert text.count("--hash=sha256:") >= len(pins)


def test_plain_pins_added_to_the_lock_move_into_the_input():
    text, added = fold_pins.fold(LOCKED, "# deps\nDjango==5.2.19\npillow==11.0.0\nshapely==2.2.0\n")

    assert added == ["celery==5.4.0", "Pillow==12.0.0"]
    assert text == "# deps\nDjango==5.2.19\nshapely==2.2.0\ncelery==5.4.0\nPillow==12.0.0\n"


def test_a_lock_without_plain_pins_changes_nothing():
    text, added = fold_pins.fold(LOCKED.split("celery")[0], "Django==5.2.19\n")

    assert added == [] and text == "Django==5.2.19\n"
