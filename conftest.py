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
