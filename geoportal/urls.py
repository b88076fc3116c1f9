from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from layers.ogc.views import landing as ogc_landing
from open311.views import DiscoveryView

handler400 = "geoportal.errors.bad_request"
handler404 = "geoportal.errors.not_found"
handler500 = "geoportal.errors.server_error"

api_v1 = [
    path("", include("layers.api.urls")),
    path("", include("reports.api.urls")),
    path("analytics/", include("analytics.api.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("tiles/", include("layers.tiles_urls")),
    # Desktop GIS clients do not follow the redirect to the slash: answer both.
    path("ogc", ogc_landing),
    path("ogc/", include("layers.ogc_urls")),
    # The endpoint URL discovery advertises (no trailing slash), and everything under it.
    re_path(r"^open311/v2$", DiscoveryView.as_view(), name="open311-base"),
    re_path(r"^open311/v2/+", include("open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("frontend.urls")),
]
