from django.urls import path

from analytics.api import rasters
from analytics.api.views import analysis_view
from analytics.api.within import WithinView

urlpatterns = [
    path("rates/", analysis_view("rates").as_view(), name="analytics-rates"),
    path(
        "public/rates/",
        analysis_view("public-rates", public=True).as_view(),
        name="analytics-public-rates",
    ),
    path("hotspots/clusters/", analysis_view("dbscan").as_view(), name="analytics-dbscan"),
    path("hotspots/gi-star/", analysis_view("gi-star").as_view(), name="analytics-gi-star"),
    path(
        "hotspots/local-moran/",
        analysis_view("local-moran").as_view(),
        name="analytics-local-moran",
    ),
    path("coverage/", analysis_view("coverage").as_view(), name="analytics-coverage"),
    path("coverage/nearest/", analysis_view("nearest").as_view(), name="analytics-nearest"),
    path("rasters/", rasters.RasterListView.as_view(), name="analytics-rasters"),
    path("rasters/<slug:slug>/", rasters.RasterDetailView.as_view(), name="analytics-raster"),
    path(
        "rasters/<slug:slug>/zonal/",
        analysis_view("zonal", path_param="raster").as_view(),
        name="analytics-zonal",
    ),
    path(
        "rasters/<slug:slug>/sample/",
        analysis_view("sample", path_param="raster").as_view(),
        name="analytics-sample",
    ),
    path("crew-plan/", analysis_view("crew-plan").as_view(), name="analytics-crew-plan"),
    path("within/", WithinView.as_view(), name="analytics-within"),
]
