from django.urls import path

from participation import pages

urlpatterns = [
    path("budget/<slug:slug>/", pages.round_page, name="budget-round-page"),
    path("consultations/<int:pk>/", pages.consultation_page, name="consultation-page"),
]
