"""The enterprise's own measurement: surveys it runs, its measurements over time, its plans."""

from django.urls import path  # noqa: F401

app_name = "selfmeasure"

urlpatterns: list = []
