from django.urls import path

from manyi.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("mine/", views.dashboard, name="dashboard"),
]
