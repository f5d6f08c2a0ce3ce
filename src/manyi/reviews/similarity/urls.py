from django.urls import path

from manyi.reviews.similarity import views

urlpatterns = [
    path("similarity/campaign/<int:pk>/", views.similarity_campaign, name="similarity_campaign"),
    path("similarity/campaign/<int:pk>/run/", views.similarity_run, name="similarity_run"),
    path("similarity/flag/<int:pk>/", views.similarity_flag, name="similarity_flag"),
    path(
        "similarity/flag/<int:pk>/review/",
        views.similarity_flag_review,
        name="similarity_flag_review",
    ),
]
