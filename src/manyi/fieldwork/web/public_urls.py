from django.urls import path

from manyi.fieldwork.web import public_views

app_name = "survey"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
    path("<str:token>/save/", public_views.save, name="save"),
]
