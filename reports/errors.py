"""Errors raised by the reports services. They are DRF exceptions so that the REST API
answers them in the house format; Open311 translates them into its own."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions, status


class Invalid(exceptions.ValidationError):
    """Bad input; `fields` maps each field to what is wrong with it. With `plain`, the
    message is a whole sentence for people and `detail` is it alone (no field key)."""

    def __init__(self, field: str, message: str, *, plain: bool = False):
        super().__init__({field: [message]})
        self.field = field
        self.message = message
        self.plain_detail = str(message) if plain else None


class Forbidden(exceptions.PermissionDenied):
    pass


class NotFound(exceptions.NotFound):
    pass


class StaleVersion(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "stale_version"

    def __init__(self, expected: int, current: int):
        super().__init__(
            _(
                "The report changed since version %(expected)s; it is now at version "
                "%(current)s. Reload it and try again."
            )
            % {"expected": expected, "current": current}
        )
        self.expected = expected
        self.current = current


class PreconditionFailed(StaleVersion):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
    default_detail = _lazy("Send the report's version (field `version` or header If-Match).")


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"
