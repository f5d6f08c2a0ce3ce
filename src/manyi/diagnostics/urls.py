"""Diagnostic visits (Art. 15): /diagnostics/."""

from django.urls import path

from manyi.diagnostics.views import answer, group, report, requests

app_name = "diagnostics"

urlpatterns = [
    path("", requests.diagnosis_list, name="list"),
    path("new/", requests.diagnosis_request, name="request"),
    path("<int:pk>/", requests.diagnosis_detail, name="detail"),
    path("<int:pk>/withdraw/", requests.diagnosis_withdraw, name="withdraw"),
    path("<int:pk>/accept/", requests.diagnosis_accept, name="accept"),
    path("<int:pk>/decline/", requests.diagnosis_decline, name="decline"),
    path("<int:pk>/group/", group.diagnosis_group, name="group"),
    path("<int:pk>/schedule/", group.diagnosis_schedule, name="schedule"),
    path("<int:pk>/report/", report.report_edit, name="report_edit"),
    path("<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("<int:pk>/answer/", answer.diagnosis_answer, name="answer"),
]
