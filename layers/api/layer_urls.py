from django.urls import path

from layers.api import layers

urlpatterns = [
    path("layers/", layers.LayerListView.as_view(), name="layer-list"),
    path("layers/<slug:slug>/", layers.LayerDetailView.as_view(), name="layer-detail"),
    path("layers/<slug:slug>/features/", layers.FeatureListView.as_view(), name="feature-list"),
    path(
        "layers/<slug:slug>/features/<int:feature_id>/",
        layers.FeatureDetailView.as_view(),
        name="feature-detail",
    ),
    path("layers/<slug:slug>/import/", layers.LayerImportView.as_view(), name="layer-import"),
]
