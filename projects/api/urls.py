from django.urls import path

from projects.api import views

ONE = "projects/<slug:slug>/"

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="project-list"),
    path("projects/geojson/", views.GeoJSONView.as_view(), name="project-geojson"),
    path("projects/export/", views.ExportView.as_view(), name="project-export"),
    path("projects/money/", views.MoneyView.as_view(), name="project-money"),
    path("projects/ocds/", views.OCDSView.as_view(), name="project-ocds"),
    path("projects/workflow/", views.WorkflowView.as_view(), name="project-workflow"),
    path("projects/compare/", views.CompareView.as_view(), name="project-compare"),
    path("projects/sections/<str:pcode>/", views.SectionView.as_view(), name="project-section"),
    path("projects/photos/<int:pk>/", views.PhotoView.as_view(), name="project-photo"),
    path(ONE, views.ProjectDetailView.as_view(), name="project-detail"),
    path(ONE + "transition/", views.TransitionView.as_view(), name="project-transition"),
    path(ONE + "budget-lines/", views.BudgetLineView.as_view(), name="project-budget-lines"),
    path(ONE + "reports/", views.LinkedReportsView.as_view(), name="project-reports"),
    path(ONE + "procurements/", views.ProcurementView.as_view(), name="project-procurements"),
    path(ONE + "updates/", views.UpdateView.as_view(), name="project-updates"),
]
