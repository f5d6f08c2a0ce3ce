from django.urls import path

from manyi.fieldwork.web import views

urlpatterns = [
    path("<int:pk>/invitations/send/", views.send_invitations, name="send_invitations"),
    path("<int:pk>/invitations/remind/", views.send_reminders, name="send_reminders"),
    path("<int:pk>/invitations/progress/", views.invitation_progress, name="invitation_progress"),
]
