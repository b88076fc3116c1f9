import os

import pytest

os.environ.setdefault("KOMIN_DEV", "1")
# Cheap password hashes for the accounts tests make (see geoportal/settings.py): the servers
# the tests start inherit the variable; this process read its settings before this file.
os.environ.setdefault("KOMIN_TEST_FAST_HASHER", "1")


def pytest_configure(config):
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers

    if settings.configured and settings.DEV:
        settings.PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *[name for name in settings.PASSWORD_HASHERS if "MD5" not in name],
        ]
        get_hashers.cache_clear()


# `make test` runs pytest on two processes (pytest-xdist, --dist loadgroup), each with a
# test database of its own (test_<name>_gw0, _gw1). Tests that start shared servers or
# private clusters (the browser server, the replica and PgBouncer clusters, nginx) run
# all on one process, one after the other, as they did before.
SERIAL = ("tests/frontend/", "tests/scale/", "tests/operations/")


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    for item in items:
        path = item.nodeid.replace("\\", "/")
        if path.startswith(SERIAL):
            item.add_marker(pytest.mark.xdist_group("serial"))
