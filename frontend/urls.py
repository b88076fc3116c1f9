from datetime import UTC, datetime

from django.contrib.auth.views import LogoutView
from django.urls import path
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import last_modified
from django.views.i18n import JavaScriptCatalog

from frontend import api, pwa, views

STARTED = datetime.now(UTC).replace(microsecond=0)

urlpatterns = [
    path("", views.citizen_map, name="home"),
    path("report/", views.report_new, name="report-new"),
    path("r/<str:reference>/", views.report_page, name="report-page"),
    path("transparency/", views.transparency, name="transparency"),
    path("boundaries/changes/", views.boundary_changes, name="boundary-changes"),
    # One town hall's pages: the same application, opened on its communes.
    path("c/<slug:slug>/", views.in_jurisdiction(views.citizen_map), name="commune-home"),
    path("c/<slug:slug>/logo/", views.jurisdiction_logo, name="commune-logo"),
    path("c/<slug:slug>/report/", views.in_jurisdiction(views.report_new), name="commune-report"),
    path(
        "c/<slug:slug>/transparency/",
        views.in_jurisdiction(views.transparency),
        name="commune-transparency",
    ),
    path("crew/", views.crew_tickets, name="crew"),
    path("crew/<str:reference>/", views.crew_ticket, name="crew-ticket"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("unsubscribe/<str:token>/", views.stop_following, name="stop-following"),
    path("logout/", LogoutView.as_view(next_page="home"), name="logout"),
    # The installable app: at the root, so that the service worker's scope is the site.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("offline/", pwa.offline_page, name="offline"),
    path("offline/area/", pwa.offline_area, name="offline-area"),
    path("search/", api.place_search, name="place-search"),
    path("stats/", api.report_stats_view, name="report-stats"),
    # The page asks for /jsi18n/?lang=<code>: one URL per language, so a browser can keep
    # each and revalidate it cheaply (304) instead of downloading it on every page.
    path(
        "jsi18n/",
        # Gzipped (19 kB → 5 kB): it holds no secret or token, so no BREACH to fear here.
        gzip_page(last_modified(lambda request: STARTED)(JavaScriptCatalog.as_view())),
        name="javascript-catalog",
    ),
]
