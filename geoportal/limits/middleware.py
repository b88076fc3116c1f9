"""A limit reached outside DRF (log-in forms, plain Django views) answers 429 with
`Retry-After`: JSON for machines, a short page in the visitor's language for people."""

from django.shortcuts import render

from geoportal.api import error_response
from geoportal.errors import MACHINE_PREFIXES
from geoportal.limits.limiter import Limited


class LimitedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Limited):
            return None
        detail = str(exception.detail)
        if request.path.startswith(MACHINE_PREFIXES) or not _wants_html(request):
            response = error_response(429, "throttled", detail)
        else:
            response = render(request, "geoportal/limited.html", {"detail": detail}, status=429)
        response["Retry-After"] = str(exception.wait)
        return response


def _wants_html(request) -> bool:
    return "text/html" in request.headers.get("Accept", "")
