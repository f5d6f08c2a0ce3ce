"""URLs of the applications app; each part (agency, customer list, appraisal, documents) keeps its own list."""

from django.urls import path

from manyi.applications import views
from manyi.applications.agency import urls as agency_urls
from manyi.applications.appraisals import urls as appraisal_urls
from manyi.applications.customers import urls as customer_urls
from manyi.applications.documents import urls as output_urls

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path("start/", views.start, name="start"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/form/", views.edit_form, name="form"),
    path("<int:pk>/materials/", views.edit_materials, name="materials"),
    path("<int:pk>/attachments/", views.attachments, name="attachments"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("confirmation/<int:year>/", views.confirmation, name="confirmation"),
    path("<int:pk>/confirmation/reopen/", views.confirmation_reopen, name="confirmation_reopen"),
]

urlpatterns += (
    agency_urls.urlpatterns
    + customer_urls.urlpatterns
    + appraisal_urls.urlpatterns
    + output_urls.urlpatterns
)
