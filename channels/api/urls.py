from django.urls import path

from channels.api import views

urlpatterns = [
    path("twilio/<str:key>/", views.TwilioInboundView.as_view(), name="channels-twilio"),
    path("rapidpro/<str:key>/", views.RapidProInboundView.as_view(), name="channels-rapidpro"),
    path("reports/<str:reference>/pin/", views.PinView.as_view(), name="channels-pin"),
]
