from django.urls import path

from manyi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("org/", views.my_organisation, name="my_organisation"),
    path("orgs/", views.organisation_list, name="organisation_list"),
    path("orgs/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("orgs/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("orgs/<int:pk>/agencies/join/", views.agency_join, name="agency_join"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invite, name="invite"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.accept_invitation, name="accept_invitation"),
    path("agency/members/", views.agency_members, name="agency_members"),
    path(
        "agency/members/<int:pk>/decide/", views.agency_member_decide, name="agency_member_decide"
    ),
    path("experts/", views.expert_list, name="expert_list"),
    path("expert/profile/", views.expert_profile, name="expert_profile"),
]
