from django.urls import re_path

from open311 import requests, views

FMT = r"(?:\.(?P<fmt>\w+))?$"
# Mounted at "open311/v2/+" (geoportal/urls.py): a client that appends "/services.xml" to
# an endpoint URL ending in "/" asks for "//services.xml", which must still answer.

urlpatterns = [
    re_path(r"^$", views.DiscoveryView.as_view(), name="open311-root"),
    re_path(r"^discovery" + FMT, views.DiscoveryView.as_view(), name="open311-discovery"),
    re_path(r"^services" + FMT, views.ServiceListView.as_view(), name="open311-services"),
    re_path(
        r"^services/(?P<code>[\w-]+)" + FMT,
        views.ServiceDefinitionView.as_view(),
        name="open311-service",
    ),
    # Some old clients (codeforamerica's open311 1.1) ask for the singular `service/`.
    re_path(r"^service/(?P<code>[\w-]+)" + FMT, views.ServiceDefinitionView.as_view()),
    re_path(r"^requests" + FMT, requests.RequestListView.as_view(), name="open311-requests"),
    re_path(
        r"^requests/(?P<reference>[\w-]+)" + FMT,
        requests.RequestDetailView.as_view(),
        name="open311-request",
    ),
    re_path(r"^tokens/(?P<token>[\w-]+)" + FMT, requests.TokenView.as_view(), name="open311-token"),
    re_path(
        r"^servicerequestupdates" + FMT,
        requests.UpdateListView.as_view(),
        name="open311-updates",
    ),
    re_path(r"^(?P<path>.*?)" + FMT, views.UnknownPathView.as_view()),
]
