"""Token log-in, rate-limited (brute force)."""

from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.views import ObtainAuthToken

from geoportal.parsers import FormParser, JSONParser, MultiPartParser
from reports.api.throttles import LoginThrottle


class LoginView(ObtainAuthToken):
    throttle_classes = [LoginThrottle]
    parser_classes = [JSONParser, FormParser, MultiPartParser]  # ours, not DRF's raw ones

    @extend_schema(summary="Exchange username and password for an API token")
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
