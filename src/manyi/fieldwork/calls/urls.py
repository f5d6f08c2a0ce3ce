from django.urls import path

from manyi.fieldwork.calls import views

urlpatterns = [
    path("calls/", views.call_queue, name="call_queue"),
    path("calls/<int:pk>/", views.call, name="call"),
    path("calls/<int:pk>/start/", views.call_start, name="call_start"),
    path("calls/<int:pk>/outcome/", views.call_outcome, name="call_outcome"),
    path("calls/<int:pk>/interview/", views.call_interview, name="call_interview"),
    path("<int:pk>/interviewers/", views.assign_interviewers, name="assign_interviewers"),
]
