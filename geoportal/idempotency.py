"""`Idempotency-Key` on writes: a retry (an offline outbox resending, a flaky 3G link)
gets the first answer again instead of writing twice.

The key is claimed by one upsert in the transaction that does the write, so two
simultaneous retries make one row: the second waits on the unique index until the first
commits, then replays its answer; if the first fails (any error answer), its claim rolls
back with it and a retry runs afresh. Keys are scoped per client (account, Open311 key,
else address) and kept `KOMIN_IDEMPOTENCY_SECONDS` (a day); the same key with another
method, path or body is refused with 422.

A retry answered from the stored response writes nothing, so it takes nothing from the
client's write limits (`is_replay`, asked by every throttle before it counts): a phone
resending five times over a flaky link is not locked out of reporting."""

import functools
import hashlib
import json
import re
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from geoportal.limits.clients import client_identity
from geoportal.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    str,
    location=OpenApiParameter.HEADER,
    description="A key of yours (e.g. a UUID): a retry with the same key and body gets the "
    "first answer again (header Idempotent-Replayed) instead of writing twice; kept a day.",
)
REPLAYED_HEADERS = ("Location", "ETag", "Content-Type")

# Takes the key, or an expired one; answers a row only if this request now owns the key.
CLAIM_SQL = """
INSERT INTO komin_idempotent_request
    (scope, key, fingerprint, created_at, status, headers)
VALUES (%s, %s, %s, now(), 0, '{}')
ON CONFLICT (scope, key) DO UPDATE
    SET fingerprint = EXCLUDED.fingerprint, created_at = now(), status = 0,
        data = NULL, content = NULL, headers = '{}'
    WHERE komin_idempotent_request.created_at < now() - make_interval(secs => %s)
RETURNING id
"""


class KeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"


def lifetime() -> int:
    return int(getattr(settings, "KOMIN_IDEMPOTENCY_SECONDS", 86400))


def idempotent(handler):
    """Decorates an APIView's write method (after authentication and throttles)."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        raw = request.headers.get(HEADER)
        if raw is None:
            return handler(view, request, *args, **kwargs)
        key = raw.strip()
        if not KEY.match(key):
            raise exceptions.ValidationError(
                {HEADER: ["Give 1 to 255 visible ASCII characters (e.g. a UUID)."]}
            )
        scope = scope_of(request)
        printed = fingerprint(request)
        stored = getattr(request, "_komin_replay_row", None)
        if stored is not None:  # found by the throttles' is_replay: not read again
            return replay(stored, printed)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(CLAIM_SQL, [scope, key, printed, lifetime()])
                claimed = cursor.fetchone()
            if claimed is None:
                return replay(IdempotentRequest.objects.get(scope=scope, key=key), printed)
            response = handler(view, request, *args, **kwargs)
            if 200 <= response.status_code < 300:
                keep(claimed[0], response)
            else:  # an error is not an answer to replay: the key stays free
                transaction.set_rollback(True)
            return response

    wrapper.idempotent = True
    return wrapper


def is_replay(request, view) -> bool:
    """Whether this request will be answered from a stored response: an idempotent write
    whose key this client already used, with the same method, path and body, and whose
    answer is kept. Asked before the throttles count; the stored answer is remembered on
    the request, and the idempotent handler replays it without reading it again."""
    if not hasattr(request, "_komin_replay_row"):
        request._komin_replay_row = _stored_answer(request, view)
    return request._komin_replay_row is not None


def _stored_answer(request, view) -> IdempotentRequest | None:
    handler = getattr(view, request.method.lower(), None) if view is not None else None
    key = (request.headers.get(HEADER) or "").strip()
    if not getattr(handler, "idempotent", False) or not KEY.match(key):
        return None
    row = IdempotentRequest.objects.filter(
        scope=scope_of(request),
        key=key,
        status__gt=0,  # answered, not still being written by a first request
        created_at__gte=timezone.now() - timedelta(seconds=lifetime()),
    ).first()
    return row if row is not None and row.fingerprint == fingerprint(request) else None


def scope_of(request) -> str:
    if request.user and request.user.is_authenticated:
        return f"user:{request.user.pk}"
    api_key = request.POST.get("api_key") or request.query_params.get("api_key")
    if api_key:
        return "open311:" + hashlib.sha256(api_key.encode()).hexdigest()[:32]
    return f"client:{client_identity(request)}"


def fingerprint(request) -> str:
    """Of what the request asks, not of its bytes: a multipart retry has another boundary.
    Computed once per request (the throttles and the handler both ask)."""
    known = getattr(request, "_komin_fingerprint", None)
    if known is None:
        known = request._komin_fingerprint = _fingerprint(request)
    return known


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):  # form or multipart: values, and files by their content
        parts = []
        for name, values in sorted(data.lists()):
            parts.append([name, [_value(v) for v in values]])
        digest.update(json.dumps(parts, ensure_ascii=False).encode())
    else:
        digest.update(json.dumps(data, sort_keys=True, cls=JSONEncoder).encode())
    if_match = request.headers.get("If-Match")
    if if_match:
        digest.update(f"\nIf-Match: {if_match}".encode())
    return digest.hexdigest()


def _value(value):
    if not hasattr(value, "chunks"):
        return value
    digest = hashlib.sha256()
    for chunk in value.chunks():
        digest.update(chunk)
    value.seek(0)
    return "file:" + digest.hexdigest()


def keep(row_id: int, response) -> None:
    headers = {h: response[h] for h in REPLAYED_HEADERS if response.has_header(h)}
    if isinstance(response, Response):
        data = json.loads(json.dumps(response.data, cls=JSONEncoder))
        values = {"data": data, "content": None}
        headers.pop("Content-Type", None)  # negotiated again on replay
    else:
        values = {"data": None, "content": bytes(response.content)}
    IdempotentRequest.objects.filter(pk=row_id).update(
        status=response.status_code, headers=headers, **values
    )


def replay(row: IdempotentRequest, printed: str):
    if row.fingerprint != printed:
        raise KeyReused(
            f"{HEADER} {row.key!r} was used for another request (another method, path or "
            "body); use a new key for a new request."
        )
    headers = dict(row.headers)
    if row.data is not None:
        response = Response(row.data, status=row.status, headers=headers)
    else:
        content_type = headers.pop("Content-Type", None)
        response = HttpResponse(bytes(row.content), status=row.status, content_type=content_type)
        for name, value in headers.items():
            response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def prune() -> int:
    """Forget keys past their lifetime (the periodic sweep calls this)."""
    cutoff = timezone.now() - timedelta(seconds=lifetime())
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted
