"""Site-wide 404/500 handlers: JSON under /api/, /ogc/, /tiles/ and /open311/, HTML elsewhere."""

from django.views import defaults

from geoportal.api import error_response

MACHINE_PREFIXES = ("/api/", "/ogc/", "/tiles/", "/open311/")


def _is_machine(request) -> bool:
    return request.path.startswith(MACHINE_PREFIXES)


def not_found(request, exception=None):
    if _is_machine(request):
        return error_response(404, "not_found", f"No resource at {request.path}.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_machine(request):
        return error_response(500, "server_error", "Internal error; it has been logged.")
    return defaults.server_error(request)
