from django.urls import path

from manyi.fieldwork.results import views

urlpatterns = [
    path("<int:pk>/close/", views.close_fieldwork, name="close_fieldwork"),
    path("<int:pk>/release/", views.release_result, name="release_result"),
    path("<int:pk>/result/status/", views.result_status, name="result_status"),
    path("<int:pk>/responses/export/", views.export_responses, name="export_responses"),
]
