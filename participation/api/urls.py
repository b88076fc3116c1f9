from django.urls import path

from participation.api import views

ONE = "participation/rounds/<slug:slug>/"

urlpatterns = [
    path("participation/rounds/", views.RoundListView.as_view(), name="budget-rounds"),
    path(ONE, views.RoundDetailView.as_view(), name="budget-round"),
    path(ONE + "phase/", views.PhaseView.as_view(), name="budget-round-phase"),
    path(ONE + "proposals/", views.ProposalView.as_view(), name="budget-proposals"),
    path(ONE + "ballot/", views.BallotView.as_view(), name="budget-ballot"),
    path(ONE + "results/", views.ResultsView.as_view(), name="budget-results"),
    path(
        "participation/proposals/<int:pk>/review/",
        views.ReviewView.as_view(),
        name="budget-proposal-review",
    ),  # fmt: skip
    path(
        "participation/proposals/<int:pk>/moderate/",
        views.ModerateView.as_view(),
        name="budget-proposal-moderate",
    ),  # fmt: skip
]
