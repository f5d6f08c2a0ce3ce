from django.urls import path

from manyi.titles.certificates import views

urlpatterns = [
    path("register/", views.register, name="register"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("certificates/<str:number>/", views.certificate, name="certificate"),
    path("certificates/<str:number>/plaque/", views.plaque, name="plaque"),
    path("certificates/<str:number>/detail/", views.title_detail, name="title_detail"),
    path("certificates/<str:number>/seal/", views.certificate_seal, name="certificate_seal"),
]
