"""A production SECRET_KEY must be one nobody can guess: refused at start-up otherwise.

Django's `check --deploy` only warns about a weak key, and a warning nobody reads lets a
copied `.env.example` run in production with a public key (session and password-reset
forgery)."""

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_UNIQUE = 5
KNOWN_WEAK = {"change-me", "changeme", "secret", "komin-insecure-development-key"}
HOW = "Generate one with: python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def check_secret_key(key: str) -> None:
    if key.strip().lower() in KNOWN_WEAK or key.startswith("django-insecure"):
        raise ImproperlyConfigured(f"SECRET_KEY is a published example value. {HOW}")
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too weak: at least {MIN_LENGTH} characters and {MIN_UNIQUE} "
            f"different ones are needed in production. {HOW}"
        )
