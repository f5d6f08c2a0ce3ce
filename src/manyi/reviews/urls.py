from django.urls import path

from manyi.reviews import views
from manyi.reviews.experts import urls as experts
from manyi.reviews.formal import urls as formal
from manyi.reviews.scoring import urls as scoring
from manyi.reviews.similarity import urls as similarity

app_name = "reviews"

urlpatterns = [
    path("", views.review_list, name="list"),
    path("<int:pk>/", views.review_detail, name="detail"),
    *formal.urlpatterns,
    *similarity.urlpatterns,
    *experts.urlpatterns,
    *scoring.urlpatterns,
]
