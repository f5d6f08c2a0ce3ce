from django.urls import path

from manyi.reviews.experts import views

urlpatterns = [
    path("experts/declaration/<int:year>/", views.experts_declaration, name="experts_declaration"),
    path("experts/mine/", views.experts_assignments, name="experts_assignments"),
    path("experts/assignment/<int:pk>/", views.experts_assignment, name="experts_assignment"),
    path(
        "experts/assignment/<int:pk>/pdf/",
        views.experts_assignment_pdf,
        name="experts_assignment_pdf",
    ),
    path("experts/assignment/<int:pk>/decline/", views.experts_decline, name="experts_decline"),
    path("experts/assignment/<int:pk>/replace/", views.experts_replace, name="experts_replace"),
    path("experts/application/<int:pk>/draw/", views.experts_draw, name="experts_draw"),
]
