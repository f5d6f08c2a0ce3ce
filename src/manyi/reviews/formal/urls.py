from django.urls import path

from manyi.reviews.formal import views

urlpatterns = [
    path("<int:pk>/formal/checks/", views.formal_checks, name="formal_checks"),
    path("<int:pk>/formal/notice/", views.formal_notice, name="formal_notice"),
    path("<int:pk>/formal/accept/", views.formal_accept, name="formal_accept"),
    path("<int:pk>/formal/reject/", views.formal_reject, name="formal_reject"),
    path("<int:pk>/formal/complete/", views.formal_complete, name="formal_complete"),
]
