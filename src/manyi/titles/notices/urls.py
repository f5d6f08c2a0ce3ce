from django.urls import path

from manyi.titles.notices import views

urlpatterns = [
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
    path("notices/<int:pk>/object/", views.objection_create, name="objection_create"),
    path("notices/<int:pk>/grant/", views.notice_grant, name="notice_grant"),
    path("objections/", views.objection_list, name="objection_list"),
    path("objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    path("objections/<int:pk>/evidence/", views.objection_evidence, name="objection_evidence"),
    path("objections/<int:pk>/assign/", views.objection_assign, name="objection_assign"),
    path("objections/<int:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("objections/follow/<str:token>/", views.objection_follow, name="objection_follow"),
]
