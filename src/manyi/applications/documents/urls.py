"""Downloads of the applications app; appended to its urlpatterns by `applications.urls`."""

from django.urls import path

from manyi.applications.documents import views as output_views

urlpatterns = [
    path("<int:pk>/pdf/", output_views.application_pdf, name="pdf"),
    path("confirmation/<int:year>/pdf/", output_views.confirmation_pdf, name="confirmation_pdf"),
    path("export/<int:year>/", output_views.export, name="export"),
]
