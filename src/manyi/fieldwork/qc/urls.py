from django.urls import path

from manyi.fieldwork.qc import views

urlpatterns = [
    path("qc/", views.review_list, name="review_list"),
    path("qc/responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("qc/contacts/<int:pk>/", views.verify_contact, name="verify_contact"),
    path("<int:pk>/verification/", views.verification, name="verification"),
    path("<int:pk>/verification/draw/", views.verification_draw, name="verification_draw"),
]
