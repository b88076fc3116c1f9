from django.urls import path

from frontend import views

urlpatterns = [
    path("", views.boundary_map, name="home"),
]
