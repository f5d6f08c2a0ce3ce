from django.urls import path

from manyi.reviews.scoring import views

urlpatterns = [
    path("scoring/campaign/<int:pk>/", views.scoring_campaign, name="scoring_campaign"),
    path("scoring/rubric/<int:pk>/", views.scoring_rubric, name="scoring_rubric"),
    path("scoring/rubric/<int:pk>/open/", views.scoring_open, name="scoring_open"),
    path("assignments/<int:pk>/score/", views.score, name="score"),
]
