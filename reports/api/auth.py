"""Token log-in. Attempts are limited in the authentication backend (geoportal.limits.login),
like every other log-in."""

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken

from geoportal.limits.throttles import AnonReadThrottle
from geoportal.parsers import FormParser, JSONParser, MultiPartParser


class LoginView(ObtainAuthToken):
    # DRF's token view turns throttles off; ours counts every request like any anonymous
    # call (the password checks themselves are limited in the backend).
    throttle_classes = [AnonReadThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # ours, not DRF's raw ones

    @extend_schema(summary="Exchange username and password for an API token")
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
