"""Downloads of the applications app; appended to its urlpatterns by `applications.urls`."""

from django.urls import path

from manyi.applications.documents import views as output_views

urlpatterns = [
    path("<int:pk>/pdf/", output_views.application_pdf, name="pdf"),
    path("confirmation/<int:year>/pdf/", output_views.confirmation_pdf, name="confirmation_pdf"),
    path("<int:pk>/view/", output_views.form_view, name="form_view"),
    path(
        "<int:pk>/confirmation/",
        output_views.application_confirmation,
        name="application_confirmation",
    ),
    path(
        "<int:pk>/confirmation/pdf/",
        output_views.application_confirmation_pdf,
        name="application_confirmation_pdf",
    ),
    path("export/<int:year>/", output_views.export, name="export"),
]
