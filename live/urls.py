from django.urls import path

from live.views import event_stream

urlpatterns = [path("", event_stream, name="events")]
