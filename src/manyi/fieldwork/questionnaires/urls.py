from django.urls import path

from manyi.fieldwork.questionnaires import views

urlpatterns = [
    path("questionnaires/", views.questionnaire_list, name="questionnaire_list"),
    path(
        "questionnaires/new/<slug:category>/",
        views.questionnaire_new_version,
        name="questionnaire_new_version",
    ),
    path("questionnaires/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", views.questionnaire_edit, name="questionnaire_edit"),
    path(
        "questionnaires/<int:pk>/publish/",
        views.questionnaire_publish,
        name="questionnaire_publish",
    ),
    path(
        "questionnaires/<int:pk>/preview/",
        views.questionnaire_preview,
        name="questionnaire_preview",
    ),
    path(
        "questionnaires/<int:pk>/preview/frame/",
        views.questionnaire_preview_frame,
        name="questionnaire_preview_frame",
    ),
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/load/", views.item_bank_load, name="item_bank_load"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
]
