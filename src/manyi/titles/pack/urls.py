from django.urls import path

from manyi.titles.pack import views

urlpatterns = [
    path("applications/<int:pk>/decision-pack.zip", views.decision_pack, name="decision_pack"),
]
