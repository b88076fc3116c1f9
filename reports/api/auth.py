"""Token log-in. Attempts are limited in the authentication backend (geoportal.limits.login),
like every other log-in."""

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken


class LoginView(ObtainAuthToken):
    throttle_classes: list = []

    @extend_schema(summary="Exchange username and password for an API token")
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
