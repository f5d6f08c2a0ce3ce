from django.urls import path

from manyi.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("current/", views.current, name="current"),
    path("new/", views.campaign_create, name="create"),
    path("<int:year>/", views.campaign_detail, name="detail"),
    path("<int:year>/edit/", views.campaign_edit, name="edit"),
    path("<int:year>/quotas/", views.campaign_quotas, name="quotas"),
    path("<int:year>/move/", views.campaign_move, name="move"),
    path("<int:year>/reopenings/", views.campaign_reopenings, name="reopenings"),
    path("bans/", views.ban_list, name="ban_list"),
    path("bans/new/", views.ban_add, name="ban_add"),
    path("bans/<int:pk>/lift/", views.ban_lift, name="ban_lift"),
]
