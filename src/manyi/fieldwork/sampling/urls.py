from django.urls import path

from manyi.fieldwork.sampling import views

urlpatterns = [
    path("assign/", views.assign, name="assign"),
    path("<int:pk>/sample/draw/", views.draw_sample, name="draw_sample"),
    path("<int:pk>/sample/check/", views.check_draw, name="check_draw"),
    path("<int:pk>/sample/reserve/", views.release_reserve, name="release_reserve"),
    path("<int:pk>/sample/export/", views.export_sample, name="export_sample"),
]
