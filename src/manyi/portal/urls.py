"""The auditors' pages. They keep the \"common:\" URL names they had before moving here."""

from django.urls import path

from manyi.portal import job_views, views

app_name = "common"

urlpatterns = [
    path("activity/", views.activity_log, name="activity_log"),
    path("activity/export/", views.activity_log_export, name="activity_log_export"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/", views.outbox_detail, name="outbox_detail"),
    path("outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
    path("jobs/", job_views.jobs, name="jobs"),
]
