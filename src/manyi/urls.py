from django.urls import include, path
from django.views.i18n import set_language

from manyi.common.errors import bad_request, page_not_found, permission_denied, server_error
from manyi.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("dashboard/", portal_views.dashboard, name="dashboard"),
    path("ping/", portal_views.ping, name="ping"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("manyi.accounts.urls")),
    # The audit pages kept their "common:" URL names when they moved to the portal.
    path("staff/", include("manyi.portal.urls")),
    path("measurement/", include("manyi.surveys.urls")),
    path("fieldwork/", include("manyi.fieldwork.urls")),
    path("own/", include("manyi.selfmeasure.urls")),
    # An enterprise's own survey: the collection link printed as a QR code.
    path("q/", include("manyi.selfmeasure.public_urls")),
    # The web questionnaire: a short link that fits a text message.
    path("s/", include("manyi.fieldwork.web.public_urls")),
    path("api/titles/", include("manyi.titles.certificates.api", namespace="titles_api")),
    path("api/", include("manyi.fieldwork.api.urls", namespace="api")),
    path("campaigns/", include("manyi.campaigns.urls")),
    path("applications/", include("manyi.applications.urls")),
    path("reviews/", include("manyi.reviews.urls")),
    path("titles/", include("manyi.titles.urls")),
    path("supervision/", include("manyi.supervision.urls")),
    # Running the programme (Chapter 3): the public site and plan, agencies, training,
    # events and diagnostic visits.
    path("", include("manyi.programme.urls")),
    path("agencies/", include("manyi.agencies.urls")),
    path("training/", include("manyi.training.urls")),
    path("events/", include("manyi.events.urls")),
    path("diagnostics/", include("manyi.diagnostics.urls")),
]

handler400 = bad_request
handler403 = permission_denied
handler404 = page_not_found
handler500 = server_error
