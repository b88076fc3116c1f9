from django.urls import path

from participation.api import people, views
from participation.consultations import api as consult

ONE = "participation/rounds/<slug:slug>/"
C = "participation/consultations/<int:pk>/"

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
    path("participation/phone/", people.PhoneView.as_view(), name="budget-phone"),
    path("participation/phone/code/", people.PhoneCodeView.as_view(), name="budget-phone-code"),
    path(
        "participation/phone/verify/", people.PhoneVerifyView.as_view(), name="budget-phone-verify"
    ),
    path(
        "participation/proposals/<int:pk>/comments/",
        people.CommentsView.as_view(),
        name="budget-proposal-comments",
    ),  # fmt: skip
    path(
        "participation/comments/<int:pk>/moderate/",
        people.CommentModerateView.as_view(),
        name="budget-comment-moderate",
    ),  # fmt: skip
    path(
        "participation/consultations/", consult.ConsultationListView.as_view(), name="consultations"
    ),
    path(C, consult.ConsultationDetailView.as_view(), name="consultation"),
    path(C + "open/", consult.ConsultationOpenView.as_view(), name="consultation-open"),
    path(C + "close/", consult.ConsultationCloseView.as_view(), name="consultation-close"),
    path(C + "responses/", consult.ConsultationAnswerView.as_view(), name="consultation-responses"),
    path(C + "results/", consult.ConsultationResultsView.as_view(), name="consultation-results"),
    path(
        C + "results/csv/",
        consult.ConsultationResultsCsvView.as_view(),
        name="consultation-results-csv",
    ),
    path(
        C + "answers/csv/",
        consult.ConsultationAnswersCsvView.as_view(),
        name="consultation-answers-csv",
    ),
    path(C + "areas/", consult.ConsultationAreasView.as_view(), name="consultation-areas"),
]
