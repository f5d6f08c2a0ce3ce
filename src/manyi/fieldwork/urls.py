from django.urls import path

from manyi.fieldwork import views
from manyi.fieldwork.api import pages as api_pages
from manyi.fieldwork.calls import urls as calls
from manyi.fieldwork.qc import urls as qc
from manyi.fieldwork.questionnaires import urls as questionnaires
from manyi.fieldwork.results import urls as results
from manyi.fieldwork.sampling import urls as sampling
from manyi.fieldwork.web import urls as web

app_name = "fieldwork"

urlpatterns = [
    path("", views.survey_list, name="survey_list"),
    path("<int:pk>/", views.survey_detail, name="survey_detail"),
    path("<int:pk>/start/", views.survey_start, name="survey_start"),
    *questionnaires.urlpatterns,
    *sampling.urlpatterns,
    *web.urlpatterns,
    *calls.urlpatterns,
    *qc.urlpatterns,
    *results.urlpatterns,
    *api_pages.urlpatterns,
]
