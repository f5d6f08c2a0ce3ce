"""The enterprise's own measurement: surveys it runs, its measurements over time, its plans."""

from django.urls import path

from manyi.selfmeasure import plan_views, views

app_name = "selfmeasure"

urlpatterns = [
    path("", views.index, name="index"),
    path("surveys/new/", views.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/qr.png", views.survey_qr, name="survey_qr"),
    path("surveys/<int:pk>/close/", views.survey_close, name="survey_close"),
    path("surveys/<int:pk>/reopen/", views.survey_reopen, name="survey_reopen"),
    path(
        "surveys/<int:pk>/responses/<int:response_pk>/exclude/",
        views.response_exclude,
        name="response_exclude",
    ),
    path(
        "surveys/<int:pk>/responses/<int:response_pk>/restore/",
        views.response_restore,
        name="response_restore",
    ),
    path("datasets/<int:pk>/share/", views.dataset_share, name="dataset_share"),
    path("datasets/<int:pk>/unshare/", views.dataset_unshare, name="dataset_unshare"),
    path("runs/<int:pk>/plan/", plan_views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/actions/new/", plan_views.action_add, name="action_add"),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/edit/", plan_views.action_edit, name="action_edit"
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/done/", plan_views.action_done, name="action_done"
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/reopen/",
        plan_views.action_reopen,
        name="action_reopen",
    ),
    path(
        "plans/<int:pk>/actions/<int:action_pk>/delete/",
        plan_views.action_delete,
        name="action_delete",
    ),
]
