from django.contrib import admin
from django.http import HttpResponse
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularSwaggerSplitView

from geoportal.schema_view import CachedSchemaView
from layers.ogc.views import landing as ogc_landing
from open311.views import DiscoveryView

handler400 = "geoportal.errors.bad_request"
handler404 = "geoportal.errors.not_found"
handler500 = "geoportal.errors.server_error"

api_v1 = [
    path("", include("layers.api.urls")),
    path("", include("reports.api.urls")),
    path("analytics/", include("analytics.api.urls")),
    path("jobs/", include("jobs.api.urls")),
    path("channels/", include("messaging.api.urls")),
    path("events/", include("live.urls")),
    path("", include("projects.api.urls")),
    path("", include("participation.api.urls")),
]


def no_favicon(request):
    """Pages without an icon of their own (the admin) make browsers ask for /favicon.ico:
    answer "no content" rather than a 404 that every page logs as an error."""
    response = HttpResponse(status=204)
    response["Cache-Control"] = "public, max-age=86400"
    return response


urlpatterns = [
    path("favicon.ico", no_favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", CachedSchemaView.as_view(), name="schema"),
    # The split view serves its start-up script from a URL: no inline script (CSP).
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="geoportal/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path("tiles/", include("layers.tiles_urls")),
    # Desktop GIS clients do not follow the redirect to the slash: answer both.
    path("ogc", ogc_landing),
    path("ogc/", include("layers.ogc_urls")),
    # The endpoint URL discovery advertises (no trailing slash), and everything under it.
    re_path(r"^open311/v2$", DiscoveryView.as_view(), name="open311-base"),
    re_path(r"^open311/v2/+", include("open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("projects.urls")),
    path("", include("participation.urls")),
    path("", include("frontend.urls")),
]
