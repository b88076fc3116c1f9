"""One error format across the API: {"error": <code>, "detail": <message>[, "fields": {...}]}.
Every error body is built here, without server paths (geoportal/redact.py)."""

import functools

from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from geoportal.redact import without_paths


def _flatten(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_flatten(item)}" for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return " ".join(_flatten(item) for item in value)
    return str(value)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        detail = getattr(exc, "plain_detail", None) or _flatten(fields)
        response.data = error_body("invalid", detail, fields=fields)
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = data.get("detail", data) if isinstance(data, dict) else data
        response.data = error_body(code, _flatten(detail))
    return response


def error_body(error: str, detail: str, **extra) -> dict:
    return without_paths({"error": error, "detail": detail, **extra})


def error_response(status: int, error: str, detail: str) -> JsonResponse:
    return JsonResponse(error_body(error, detail), status=status)


def read_only(view):
    """For plain Django views of the machine APIs (tiles, OGC, search): GET and HEAD (the
    GET's headers without its body), any other method a 405 in JSON with `Allow`, not
    Django's empty HTML answer."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            response = error_response(
                405, "method_not_allowed", f"{request.method} is not allowed here; use GET."
            )
            response["Allow"] = "GET, HEAD"
            return response
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return wrapper


def validated(serializer_class, data, **kwargs) -> dict:
    """The serializer's cleaned data, or its 400 naming each field (kwargs: `partial`)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
