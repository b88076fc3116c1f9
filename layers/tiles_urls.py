from django.urls import path, re_path

from layers.tiles import views

urlpatterns = [
    path("", views.catalogue, name="tile-catalogue"),
    re_path(r"^(?P<source>[-\w]+)\.json$", views.tilejson, name="tilejson"),
    path("<str:source>/<int:z>/<int:x>/<int:y>.pbf", views.tile, name="tile"),
]
