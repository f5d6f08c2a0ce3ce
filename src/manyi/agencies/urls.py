"""Promotion agencies (Art. 5–8): recognition, suspension, membership, the agency's dashboard."""

from django.urls import path

from manyi.agencies.views import agencies, dashboard, members, public, requests

app_name = "agencies"

urlpatterns = [
    # Public: the request for recognition, its follow link, the directory.
    path("apply/", public.apply, name="apply"),
    path("apply/follow/<str:token>/", public.follow, name="request_follow"),
    path("directory/", public.directory, name="directory"),
    # Programme staff: the requests and the administrator's decision.
    path("requests/", requests.request_list, name="requests"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/recognise/", requests.request_recognise, name="request_recognise"),
    path("requests/<int:pk>/refuse/", requests.request_refuse, name="request_refuse"),
    path("requests/<int:pk>/evidence/", requests.request_evidence, name="request_evidence"),
    # Agencies: the list, an agency's page, suspension.
    path("", agencies.agency_list, name="list"),
    path("<int:pk>/", agencies.agency_detail, name="detail"),
    path("<int:pk>/suspend/", agencies.agency_suspend, name="suspend"),
    path("<int:pk>/reinstate/", agencies.agency_reinstate, name="reinstate"),
    # The agency's own pages.
    path("mine/", dashboard.dashboard, name="dashboard"),
    path("mine/invite/", dashboard.invite, name="invite"),
    # Membership: the enterprise's answers and leaving; the agency ending a membership.
    path("memberships/<int:pk>/accept/", members.membership_accept, name="membership_accept"),
    path("memberships/<int:pk>/decline/", members.membership_decline, name="membership_decline"),
    path("memberships/<int:pk>/leave/", members.membership_leave, name="membership_leave"),
    path("memberships/<int:pk>/end/", members.membership_end, name="membership_end"),
]
