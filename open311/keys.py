"""Open311 API keys: created by staff (admin or `manage.py open311_key`), stored hashed."""

import secrets

from django.utils import timezone

from open311.models import ApiKey, hash_key
from open311.render import Open311Error


def api_key_create(*, name: str, user=None) -> tuple[ApiKey, str]:
    """Returns the key record and the raw key, which is shown once and never stored."""
    raw = secrets.token_urlsafe(32)
    key = ApiKey.objects.create(name=name, user=user, key_hash=hash_key(raw), prefix=raw[:8])
    return key, raw


def api_key_check(raw: str | None) -> ApiKey:
    if not raw:
        raise Open311Error(403, "api_key is required to post.")
    key = ApiKey.objects.select_related("user").filter(key_hash=hash_key(raw), active=True).first()
    if key is None:
        raise Open311Error(403, "api_key is not valid.")
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
    return key
