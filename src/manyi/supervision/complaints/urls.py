"""URL patterns of supervision/complaints (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from manyi.supervision.complaints import views

urlpatterns: list = [
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/follow/<str:token>/", views.complaint_follow, name="complaint_follow"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/triage/", views.complaint_triage, name="complaint_triage"),
    path("complaints/<int:pk>/assign/", views.complaint_assign, name="complaint_assign"),
    path("complaints/<int:pk>/findings/", views.complaint_findings, name="complaint_findings"),
    path("complaints/<int:pk>/answer/", views.complaint_answer, name="complaint_answer"),
    path("complaints/<int:pk>/dismiss/", views.complaint_dismiss, name="complaint_dismiss"),
    path(
        "complaints/<int:pk>/evidence/<int:evidence>/",
        views.complaint_evidence,
        name="complaint_evidence",
    ),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]),
# or None when the part has no staff page of its own.
SECTION = (
    _("投诉"),
    "supervision:complaint_list",
    _("公众对获证单位的投诉：分类处理、调查、答复；重大投诉自动立案研究是否撤销（第二十二条）。"),
    [(_("待处理"), "complaints_open")],
)
