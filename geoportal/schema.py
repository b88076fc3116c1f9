"""The OpenAPI schema tells the truth about errors: one place adds to every operation the
error responses its view can produce, with the shared error body (`geoportal.api`)."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

JSON = ["application/json"]


class ErrorSerializer(serializers.Serializer):
    """{"error": <code>, "detail": <message>[, "fields": {...}]}"""

    error = serializers.CharField(help_text="A short machine-readable code: invalid, not_found…")
    detail = serializers.CharField(help_text="What is wrong, naming the parameter or field.")
    fields = serializers.DictField(required=False, help_text="Messages per field (400 only).")

    class Meta:
        ref_name = "Error"


ERRORS = {
    "400": "Invalid parameter, body or header; `detail` names it.",
    "403": "Not allowed for this account or role (or CSRF token missing for a session).",
    "404": "No such resource.",
    "409": "Conflict with the current state (a stale version).",
    "412": "If-Match names a version that is no longer current.",
    "422": "The Idempotency-Key was used for another request (method, path or body).",
    "428": "The version seen is required (field `version` or header If-Match).",
    "413": "The request body is too large.",
    "415": "Unsupported request media type.",
    "429": "Too many requests: see the Retry-After header.",
}
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


class KominAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        # Every error answer is the house error body, also where a view declared the code
        # itself with a looser schema.
        for code in sorted(self.error_codes() | (set(responses) & set(ERRORS))):
            responses[code] = self._get_response_for_code(
                OpenApiResponse(ErrorSerializer, description=ERRORS[code]), code, JSON
            )
        return responses

    def error_codes(self) -> set[str]:
        """What the view's machinery can answer besides its own declared responses."""
        codes = {"400"}  # any request may carry a bad parameter, header or body
        if self._path_parameters():
            codes.add("404")
        if self.method in UNSAFE or not self._allows_everyone():
            codes.add("403")  # permissions, or CSRF for session-authenticated writes
        if self.method in ("POST", "PUT", "PATCH"):
            codes |= {"413", "415"}
        if self._throttled():
            codes.add("429")
        # A view may name more (e.g. the versioned writes of reports: 409, 412, 428).
        return codes | set(getattr(self.view, "error_statuses", ()))

    def _path_parameters(self) -> bool:
        return "{" in self.path

    def _allows_everyone(self) -> bool:
        return all(isinstance(p, AllowAny) for p in self.view.get_permissions())

    def _throttled(self) -> bool:
        try:
            return bool(self.view.get_throttles())
        except Exception:  # a view deciding by request details: assume it may throttle
            return True
