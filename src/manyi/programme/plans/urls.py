"""The public annual plan (plan/, plan/<year>/) and its keepers' pages (plan/manage/)."""

from django.urls import path

from manyi.programme.plans import public_views, views

urlpatterns = [
    path("plan/", public_views.plan_public, name="plan_public"),
    path("plan/<int:year>/", public_views.plan_year, name="plan_year"),
    path("plan/manage/", views.manage_list, name="plan_manage_list"),
    path("plan/manage/new/", views.plan_create, name="plan_create"),
    path("plan/manage/<int:pk>/", views.plan_manage, name="plan_manage"),
    path("plan/manage/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plan/manage/<int:pk>/publish/", views.plan_publish, name="plan_publish"),
    path("plan/manage/<int:pk>/unpublish/", views.plan_unpublish, name="plan_unpublish"),
    path("plan/manage/<int:pk>/activities/new/", views.activity_add, name="activity_add"),
    path("plan/manage/activities/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("plan/manage/activities/<int:pk>/held/", views.activity_held, name="activity_held"),
    path("plan/manage/activities/<int:pk>/cancel/", views.activity_cancel, name="activity_cancel"),
    path("plan/manage/activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
]
