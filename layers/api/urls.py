from django.urls import include, path

from layers.api import areas, generations

urlpatterns = [
    path("areas/", areas.AreaListView.as_view(), name="area-list"),
    path("areas/lookup/", areas.AreaLookupView.as_view(), name="area-lookup"),
    path("areas/generations/", generations.GenerationListView.as_view(), name="area-generations"),
    path(
        "areas/generations/<int:old>/diff/<int:new>/",
        generations.GenerationDiffView.as_view(),
        name="area-generation-diff",
    ),
    path(
        "areas/generations/<int:old>/diff/<int:new>/geojson/",
        generations.GenerationDiffGeoJSONView.as_view(),
        name="area-generation-diff-geojson",
    ),
    path("areas/<str:pcode>/", areas.AreaDetailView.as_view(), name="area-detail"),
    path("", include("layers.api.layer_urls")),
]
