"""Site-wide error answers: JSON under the machine routes (/api/, /ogc/, /tiles/, the
frontend's JSON endpoints; Open311's own error list under /open311/), HTML elsewhere.

Django's own refusals (too large a body, too many fields, a host not allowed, any
SuspiciousOperation) arrive at `bad_request` and get a message here too."""

import re

from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse
from django.views import defaults

from geoportal.api import error_response

MACHINE_PREFIXES = ("/api/", "/ogc/", "/tiles/", "/open311/", "/stats/", "/search/")
OPEN311_XML = re.compile(r"^/open311/.*\.xml$")


def is_machine(request) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def machine_error(request, status: int, error: str, detail: str) -> HttpResponse:
    """The error in the format the route speaks."""
    if request.path.startswith("/open311/"):
        from open311.render import error as open311_error

        return open311_error("xml" if OPEN311_XML.match(request.path) else "json", status, detail)
    return error_response(status, error, detail)


def refuse(request, status: int, error: str, detail: str) -> HttpResponse:
    """A 4xx for any route: JSON on machine routes, plain text on pages."""
    if is_machine(request):
        return machine_error(request, status, error, detail)
    return HttpResponse(detail, status=status, content_type="text/plain; charset=utf-8")


def not_found(request, exception=None):
    if is_machine(request):
        return machine_error(request, 404, "not_found", f"No resource at {request.path!r}.")
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None):
    if not is_machine(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        return machine_error(
            request, 413, "too_large", "The request body is larger than this server accepts."
        )
    if isinstance(exception, TooManyFieldsSent):
        return machine_error(
            request, 400, "too_many_fields", "The request has more fields than this server accepts."
        )
    if isinstance(exception, DisallowedHost):
        return machine_error(
            request, 400, "bad_host", "The Host header names a host this server does not serve."
        )
    return machine_error(request, 400, "bad_request", f"Bad request: {exception}")


def database_unavailable(request) -> HttpResponse:
    """The database could not be reached (restarting, failing over): 503 with
    Retry-After, which clients and proxies retry, rather than a 500."""
    detail = "The database is unavailable for a moment; try again shortly."
    if is_machine(request):
        response = machine_error(request, 503, "unavailable", detail)
    else:
        response = HttpResponse(detail, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = "5"
    return response


def server_error(request):
    if is_machine(request):
        return machine_error(request, 500, "server_error", "Internal error; it has been logged.")
    return defaults.server_error(request)
