"""The agency's pages, appended to the applications app's URLs (/applications/agency/ …)."""

from django.urls import path

from manyi.applications.agency import views

urlpatterns = [
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path("agency/queue/", views.agency_queue, name="agency_queue"),
    path("agency/seal/", views.agency_seal, name="agency_seal"),
    path("agency/seal/image/", views.agency_seal_image, name="agency_seal_image"),
]
