"""Training (Art. 14, 18): classes and enrolment, employee training files, yearly plans."""

from django.urls import path

from manyi.training import employee_views, plan_views, views

app_name = "training"

urlpatterns = [
    path("", views.index, name="index"),
    path("classes/new/", views.class_create, name="class_create"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("classes/<int:pk>/edit/", views.class_edit, name="class_edit"),
    path("classes/<int:pk>/close/", views.class_close, name="class_close"),
    path("classes/<int:pk>/reopen/", views.class_reopen, name="class_reopen"),
    path("classes/<int:pk>/cancel/", views.class_cancel, name="class_cancel"),
    path("classes/<int:pk>/held/", views.class_held, name="class_held"),
    path("classes/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("classes/<int:pk>/enrol-new/", views.enrol_new, name="enrol_new"),
    path(
        "classes/<int:pk>/enrolments/<int:enrolment_pk>/withdraw/",
        views.unenrol,
        name="unenrol",
    ),
    path("classes/<int:pk>/results/", views.results_form, name="results"),
    path("employees/", employee_views.employee_list, name="employee_list"),
    path("employees/new/", employee_views.employee_create, name="employee_create"),
    path("employees/import/", employee_views.employee_import, name="employee_import"),
    path("employees/template.xlsx", employee_views.employee_template, name="employee_template"),
    path("employees/export.xlsx", employee_views.employee_export, name="employee_export"),
    path("employees/<int:pk>/", employee_views.employee_detail, name="employee_detail"),
    path("employees/<int:pk>/edit/", employee_views.employee_edit, name="employee_edit"),
    path("employees/<int:pk>/leave/", employee_views.employee_leave, name="employee_leave"),
    path("employees/<int:pk>/return/", employee_views.employee_return, name="employee_return"),
    path("employees/<int:pk>/file.pdf", employee_views.employee_pdf, name="employee_pdf"),
    path("plans/", plan_views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:year>/edit/", plan_views.plan_edit, name="plan_edit"),
]
