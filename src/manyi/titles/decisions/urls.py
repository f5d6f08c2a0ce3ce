from django.urls import path

from manyi.titles.decisions import views

urlpatterns = [
    path("decisions/", views.decision_index, name="decision_index"),
    path(
        "decisions/<int:year>/<slug:category>/",
        views.decision_category,
        name="decision_category",
    ),
    path(
        "decisions/<int:year>/<slug:category>/release/",
        views.decision_release,
        name="decision_release",
    ),
    path(
        "decisions/application/<int:pk>/propose/",
        views.decision_propose,
        name="decision_propose",
    ),
    path("decisions/proposal/<int:pk>/confirm/", views.decision_confirm, name="decision_confirm"),
    path("decisions/proposal/<int:pk>/return/", views.decision_return, name="decision_return"),
]
