"""The collection link of an enterprise's own survey (public, short enough for a QR code)."""

from django.urls import path  # noqa: F401

app_name = "selfmeasure_public"

urlpatterns: list = []
