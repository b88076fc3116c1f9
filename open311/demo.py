"""A known Open311 API key for the demo server only: `load_demo` makes it with the demo
accounts (development, or --force-demo-accounts), never with --no-accounts."""

from open311.models import ApiKey, hash_key

DEMO_KEY = "komin-open311-demo-key"


def load(*, stdout, accounts: bool = True) -> None:
    if not accounts:
        return
    _, created = ApiKey.objects.get_or_create(
        key_hash=hash_key(DEMO_KEY), defaults={"name": "demo", "prefix": DEMO_KEY[:8]}
    )
    if created:
        stdout.write(f"open311: demo API key {DEMO_KEY}")
