"""One error format across the API: {"error": <code>, "detail": <message>[, "fields": {...}]}."""

import re

from django.conf import settings
from django.http import JsonResponse
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


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
        response.data = {"error": "invalid", "detail": _flatten(fields), "fields": fields}
    else:
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
        detail = data.get("detail", data) if isinstance(data, dict) else data
        response.data = {"error": code, "detail": _flatten(detail)}
    return response


def error_response(status: int, error: str, detail: str) -> JsonResponse:
    return JsonResponse({"error": error, "detail": detail}, status=status)


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_code = "too_large"
    default_detail = "The request body is too large."


FORM_SLACK = 1024 * 1024  # room for the form's other fields and multipart boundaries


def refuse_large_body(request, *, limit: int, what: str) -> None:
    """413 on the declared Content-Length, before a byte of the body is read."""
    raw = request.META.get("CONTENT_LENGTH") or "0"
    length = int(raw) if raw.isdigit() else 0
    if length > limit + FORM_SLACK:
        raise PayloadTooLarge(f"{what}: {length} bytes is more than the limit of {limit}.")


# An absolute path of two or more parts (GDAL and Python name the files they fail on).
_PATH = re.compile(r"(?<![\w:/])/(?:[\w.@%+~-]+/)+([\w.@%+~-]+)")


def without_paths(text: str) -> str:
    """The message with every server path cut to its last part: /tmp/komin-import-x/
    source.geojson becomes source.geojson, so no error shows the server's layout."""
    text = text.replace(str(settings.BASE_DIR), "")
    return _PATH.sub(lambda match: match.group(1), text)
