from django.urls import path

from manyi.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
]
