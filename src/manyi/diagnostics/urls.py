from django.urls import path

from manyi.diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.diagnosis_list, name="list"),
]
