from django.urls import include, path

from layers.api import areas

urlpatterns = [
    path("areas/", areas.AreaListView.as_view(), name="area-list"),
    path("areas/lookup/", areas.AreaLookupView.as_view(), name="area-lookup"),
    path("areas/<str:pcode>/", areas.AreaDetailView.as_view(), name="area-detail"),
    path("", include("layers.api.layer_urls")),
]
