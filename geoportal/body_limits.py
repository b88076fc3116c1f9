"""Request bodies are refused by their declared length, before anything reads them.

DRF's JSON parser reads the whole body it is given, Django's multipart parser spools it
to disk, and the CSRF middleware reads form bodies of the non-API views: without a cap
checked first, one anonymous 300 MB POST holds a worker for as long as it takes to send.

A view declares its cap with `max_body_bytes`, a function of no argument returning bytes
(limits are settings, read when used); an upload view uses `upload_cap(...)`. Views of
the admin get `DATA_UPLOAD_MAX_MEMORY_SIZE` (its forms carry boundary geometries); every
other route gets `KOMIN_BODY_MAX_BYTES`. A body without a Content-Length (chunked
transfer encoding) is refused too: its size cannot be known before reading it.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from geoportal.api import error_response

# Room for the form fields and multipart boundaries around the uploaded file(s).
MULTIPART_MARGIN = 256 * 1024

Cap = Callable[[], int]


def default_cap() -> int:
    return int(getattr(settings, "KOMIN_BODY_MAX_BYTES", 1024 * 1024))


def geometry_cap() -> int:
    """Staff geometry edits and drawn-polygon queries: a detailed boundary is megabytes."""
    return int(getattr(settings, "KOMIN_GEOMETRY_BODY_MAX_BYTES", 16 * 1024 * 1024))


def upload_cap(file_limit: Cap, *, files: Cap | int = 1, margin: int = MULTIPART_MARGIN) -> Cap:
    """A cap for a multipart request carrying `files` files of at most `file_limit()`.
    Only multipart bodies get it: Django streams their files to disk, whereas a JSON or
    form body of that size would be parsed into memory whole (a 30 MB JSON object takes
    hundreds of MB as Python objects); those get the default cap."""

    def cap() -> int:
        count = files() if callable(files) else files
        return file_limit() * count + margin

    cap.multipart_only = True
    return cap


def declared_cap(view_func) -> Cap | None:
    # DRF's as_view() keeps the class on `cls`, Django's on `view_class`.
    owner = getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)
    return getattr(owner or view_func, "max_body_bytes", None)


def route_cap(request: HttpRequest, view_func) -> int:
    declared = declared_cap(view_func)
    if declared is not None:
        multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data")
        if getattr(declared, "multipart_only", False) and not multipart:
            return default_cap()
        return int(declared())
    match = getattr(request, "resolver_match", None)
    if match is not None and "admin" in match.namespaces:
        return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    return default_cap()


def _refuse(status: int, error: str, detail: str) -> JsonResponse:
    return error_response(status, error, detail)


class BodyLimitMiddleware:
    """Must come before any middleware that may read the body (CSRF, sessions do not)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        raw = (request.META.get("CONTENT_LENGTH") or "").strip()
        if not raw:
            if request.META.get("HTTP_TRANSFER_ENCODING"):
                return _refuse(
                    411,
                    "length_required",
                    "Send the body with a Content-Length header; "
                    "chunked transfer encoding is not accepted.",
                )
            return None
        if not raw.isdigit():
            return _refuse(400, "invalid", f"Content-Length {raw[:40]!r} is not a number of bytes.")
        size = int(raw)
        cap = route_cap(request, view_func)
        if size > cap:
            return _refuse(
                413,
                "too_large",
                f"The request body is {size} bytes; the limit for {request.method} "
                f"{request.path} is {cap} bytes.",
            )
        return None
