"""Content-Security-Policy and Permissions-Policy on every answer.

Pages load scripts and styles from our own origin only (no inline script, no style
attribute in markup: data reaches scripts through `json_script` or data attributes);
images may also come from the configured basemap's origin (`KOMIN_BASEMAP_URL`).
"""

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=()"


def basemap_origin(template: str) -> str:
    """'https://{s}.tile.example.org/{z}/{x}/{y}.png' -> 'https://*.tile.example.org'."""
    if not template:
        return ""
    parts = urlsplit(template)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    labels = parts.netloc.split(".")
    host = ".".join("*" if "{" in label else label for label in labels)
    return f"{parts.scheme}://{host}"


@lru_cache(maxsize=8)
def content_security_policy(basemap: str) -> str:
    images = " ".join(filter(None, ["'self'", "data:", "blob:", basemap_origin(basemap)]))
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = content_security_policy(getattr(settings, "KOMIN_BASEMAP_URL", "") or "")
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
