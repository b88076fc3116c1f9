"""Open311 limits, on the one store: every request per client, and posts per API key.

The key is read where the views read it (form body or query string): a key sent in the
query string is counted like any other."""

from geoportal.limits.throttles import LimitThrottle
from open311.models import hash_key


def raw_api_key(request) -> str:
    return request.POST.get("api_key") or request.query_params.get("api_key") or ""


class ClientThrottle(LimitThrottle):
    scope = "open311-client"
    setting = "KOMIN_RATE_OPEN311_CLIENT"
    counts_replays = True


class KeyThrottle(LimitThrottle):
    scope = "open311-key"
    setting = "KOMIN_RATE_OPEN311_POST"

    def identity(self, request, view):
        if request.method != "POST":
            return None
        raw = raw_api_key(request)
        # Without a key the post is refused (400) and only the client limit counts it.
        return hash_key(raw) if raw else None
