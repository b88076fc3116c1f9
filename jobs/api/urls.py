from django.urls import path

from jobs.api import views

urlpatterns = [
    path("", views.JobListView.as_view(), name="job-list"),
    path("<int:job_id>/", views.JobDetailView.as_view(), name="job-detail"),
    path("<int:job_id>/result/", views.JobResultView.as_view(), name="job-result"),
]
