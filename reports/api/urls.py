from django.urls import path

from reports.api import actions, auth, categories, photos, subscriptions, views, workflow

REF = "reports/<str:reference>/"

urlpatterns = [
    path("auth/token/", auth.LoginView.as_view(), name="auth-token"),
    path("categories/", categories.CategoryListView.as_view(), name="category-list"),
    path(
        "categories/<slug:code>/", categories.CategoryDetailView.as_view(), name="category-detail"
    ),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/nearby/", views.NearbyView.as_view(), name="report-nearby"),
    path("reports/geojson/", views.ReportGeoJSONView.as_view(), name="report-geojson"),
    path("reports/workflow/", workflow.WorkflowView.as_view(), name="report-workflow"),
    path("reports/photos/<int:pk>/", photos.PhotoView.as_view(), name="report-photo"),
    path("reports/subscriptions/", subscriptions.AreaFollowView.as_view(), name="area-follow"),
    path(
        "reports/subscriptions/<str:token>/",
        subscriptions.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
    path(
        "reports/subscriptions/<str:token>/confirm/",
        subscriptions.ConfirmView.as_view(),
        name="subscription-confirm",
    ),
    path(REF, views.ReportDetailView.as_view(), name="report-detail"),
    path(REF + "transition/", actions.TransitionView.as_view(), name="report-transition"),
    path(REF + "assign/", actions.AssignView.as_view(), name="report-assign"),
    path(REF + "transfer/", actions.TransferView.as_view(), name="report-transfer"),
    path(REF + "merge/", actions.MergeView.as_view(), name="report-merge"),
    path(REF + "moderate/", actions.ModerateView.as_view(), name="report-moderate"),
    path(REF + "support/", actions.SupportView.as_view(), name="report-support"),
    path(REF + "follow/", actions.FollowView.as_view(), name="report-follow"),
    path(REF + "history/", actions.HistoryView.as_view(), name="report-history"),
]
