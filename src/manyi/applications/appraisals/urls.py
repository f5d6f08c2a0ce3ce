"""URLs of the client appraisal (续表4-4), appended to the applications app's patterns."""

from django.urls import path

from manyi.applications.appraisals import views as appraisal_views

urlpatterns = [
    path("<int:pk>/appraisal/", appraisal_views.appraisal, name="appraisal"),
    path("<int:pk>/appraisal/scan/", appraisal_views.appraisal_scan, name="appraisal_scan"),
    # Public: the client has no account; the token in the link is the only key.
    path("appraisal/<str:token>/", appraisal_views.appraisal_fill, name="appraisal_fill"),
]
