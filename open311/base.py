"""The base of every Open311 endpoint: format from the URL suffix, jurisdiction check,
and every error (ours, the services', DRF's) answered in the specification's format."""

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import get_language
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from communes.selectors import jurisdiction_by_open311_id
from geoportal.body_limits import upload_cap
from geoportal.parsers import FormParser, MultiPartParser
from open311.render import FORMATS, Open311Error, error
from open311.throttles import ClientThrottle, KeyThrottle
from reports import conf
from reports.errors import Invalid, StaleVersion

LANGS = ("fr", "ht", "en")
# Browser apps on other origins read the lists and post requests (the specification's
# POST is a form post, so the preflight comes only with extra headers).
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept, Accept-Language, Idempotency-Key",
    "Access-Control-Max-Age": "86400",
}


class Open311View(APIView):
    authentication_classes: list = []  # keys, not sessions: no CSRF, no cookies
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser]
    # POST requests and updates carry at most one `media` photo.
    max_body_bytes = staticmethod(upload_cap(lambda: conf.get("KOMIN_PHOTO_MAX_BYTES")))
    schema = None  # documented by the GeoReport v2 specification, not in our OpenAPI
    throttle_classes = [ClientThrottle, KeyThrottle]

    def initial(self, request, *args, **kwargs):
        fmt = (kwargs.get("fmt") or "json").lower()
        self.fmt = fmt if fmt in FORMATS else "json"
        if fmt not in FORMATS:
            raise Open311Error(400, f"Format {fmt!r} is not supported; use .json or .xml.")
        super().initial(request, *args, **kwargs)
        self.check_jurisdiction(request)

    jurisdiction = None

    def options(self, request, *args, **kwargs):
        """The CORS preflight: no body, only the headers `finalize_response` adds."""
        return HttpResponse(status=204)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS.items():
            response[name] = value
        return response

    def check_throttles(self, request):
        # A 429's message in the language the client asked for (`lang`), like the data.
        with translation.override(self.language(request)):
            super().check_throttles(request)

    def check_jurisdiction(self, request) -> None:
        """`jurisdiction_id` selects one town hall (its services, its requests); absent, or
        the service's own id (KOMIN_OPEN311_JURISDICTION), means the whole service."""
        given = request.query_params.get("jurisdiction_id") or request.POST.get("jurisdiction_id")
        ours = conf.get("KOMIN_OPEN311_JURISDICTION")
        if not given or given.strip() == ours:
            return
        found = jurisdiction_by_open311_id(given)
        if found is None:
            raise Open311Error(
                404, f"jurisdiction_id {given!r} not found; this server is {ours!r}."
            )
        self.jurisdiction = None if found.is_default else found

    def language(self, request) -> str:
        lang = (
            request.query_params.get("lang")
            or request.POST.get("lang")
            or (get_language() or "fr")[:2]
        )
        return lang if lang in LANGS else "fr"

    def handle_exception(self, exc):
        fmt = getattr(self, "fmt", "json")
        if isinstance(exc, Open311Error):
            return error(fmt, exc.status, exc.description)
        if isinstance(exc, Invalid):
            return error(fmt, 400, f"{exc.field}: {exc.message}")
        if isinstance(exc, StaleVersion):
            return error(fmt, 409, str(exc.detail))
        if isinstance(exc, exceptions.ValidationError):
            return error(fmt, 400, _flatten(exc.detail))
        if isinstance(exc, exceptions.APIException):
            response = error(fmt, exc.status_code, _flatten(exc.detail))
            if getattr(exc, "wait", None):
                response["Retry-After"] = str(int(exc.wait))
            return response
        raise exc


def _flatten(detail) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{k}: {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(v) for v in detail)
    return str(detail)
