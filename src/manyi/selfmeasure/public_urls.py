"""The collection link of an enterprise's own survey (public, short enough for a QR code)."""

from django.urls import path

from manyi.selfmeasure import public_views

app_name = "selfmeasure_public"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
]
