"""The GeoReport v2 `token`: an opaque handle for `tokens/{token}`, which answers the
service_request_id. It grants nothing: it is never the reporter's private tracking token
(which confirms a fix or reopens the report), so an API client that files a request on
someone's behalf does not receive the reporter's rights.

It is the reference signed with the server's key, so no table is needed to look it up."""

from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "komin.open311.lookup-token"


def lookup_token(reference: str) -> str:
    return f"{reference}-{salted_hmac(SALT, reference).hexdigest()[:24]}"


def reference_of(token: str) -> str | None:
    reference, _, _ = token.rpartition("-")
    if reference and constant_time_compare(lookup_token(reference), token):
        return reference
    return None
