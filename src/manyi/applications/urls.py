"""URLs of the applications app; each part (customer list, appraisal, output) keeps its own list."""

from django.urls import path

from manyi.applications import appraisal_urls, customer_urls, output_urls, views

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
    path("<int:pk>/recommend/", views.recommend, name="recommend"),
    path("confirmation/<int:year>/", views.confirmation, name="confirmation"),
    path("agency/queue/", views.agency_queue, name="agency_queue"),
    path("agency/seal/", views.agency_seal, name="agency_seal"),
    path("agency/seal/image/", views.agency_seal_image, name="agency_seal_image"),
]

urlpatterns += customer_urls.urlpatterns + appraisal_urls.urlpatterns + output_urls.urlpatterns
