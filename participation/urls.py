from django.urls import path

from participation import pages, staff

urlpatterns = [
    path("budget/<slug:slug>/", pages.round_page, name="budget-round-page"),
    path("manage/budgets/", staff.round_list, name="budget-round-manage"),
    path("manage/budgets/new/", staff.round_new, name="budget-round-new"),
    path("manage/budgets/<slug:slug>/", staff.round_edit, name="budget-round-edit"),
    path("consultations/<int:pk>/", pages.consultation_page, name="consultation-page"),
]
