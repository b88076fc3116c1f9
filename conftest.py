import os

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


# `make test` runs pytest on two processes (pytest-xdist), each with a
# test database of its own (test_<name>_gw0, _gw1). Tests that start shared servers or
# private clusters (the browser server, the replica and PgBouncer clusters, nginx) run
# all on one process, one after the other, as they did before.
SERIAL = ("tests/frontend/", "tests/scale/", "tests/operations/")


def pytest_xdist_make_scheduler(config, log):
    """Every test its own unit, except the SERIAL ones: one unit for one process. (xdist's
    `loadgroup` cannot be used: it renames node ids, which pytest 9 no longer allows.)"""
    from xdist.scheduler import LoadScopeScheduling

    class ServersTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "serial" if nodeid.startswith(SERIAL) else nodeid

    return ServersTogether(config, log)
