from django.urls import path

from manyi.programme import views

app_name = "programme"

urlpatterns = [
    path("news/", views.news_list, name="news_list"),
    path("plan/", views.plan_public, name="plan_public"),
]
