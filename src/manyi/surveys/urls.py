from django.urls import path

from manyi.surveys import views

app_name = "surveys"

urlpatterns = [
    path("", views.dataset_list, name="dataset_list"),
    path("runs/", views.run_list, name="run_list"),
    path("datasets/new/", views.dataset_upload, name="dataset_upload"),
    path("datasets/<int:pk>/", views.dataset_detail, name="dataset_detail"),
    path("datasets/<int:pk>/mapping/", views.dataset_mapping, name="dataset_mapping"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("runs/<int:pk>/report.pdf", views.run_pdf, name="run_pdf"),
    path("runs/<int:pk>/result.json", views.run_json, name="run_json"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="run_rerun"),
]
