"""URL patterns of supervision/revocations (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from manyi.supervision.revocations import views

urlpatterns = [
    path("revocations/", views.revocation_list, name="revocation_list"),
    path("revocations/recall/", views.revocation_recall_list, name="revocation_recall_list"),
    path("revocations/<int:pk>/", views.revocation_detail, name="revocation_detail"),
    path("revocations/<int:pk>/propose/", views.revocation_propose, name="revocation_propose"),
    path("revocations/<int:pk>/dismiss/", views.revocation_dismiss, name="revocation_dismiss"),
    path("revocations/<int:pk>/decide/", views.revocation_decide, name="revocation_decide"),
    path("revocations/<int:pk>/recall/", views.revocation_recall, name="revocation_recall"),
    path("revocations/<int:pk>/evidence/", views.revocation_evidence, name="revocation_evidence"),
    path("revocations/open/<str:number>/", views.revocation_open, name="revocation_open"),
    # Public (Art. 24, 26): no account needed.
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/publish/", views.notice_publish, name="notice_publish"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/<int:pk>/pdf/", views.notice_pdf, name="notice_pdf"),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]),
# or None when the part has no staff page of its own.
SECTION = (
    _("撤销"),
    "supervision:revocation_list",
    _(
        "撤销称号案件：用户委员会研究并提出建议，协会决定撤销或不予撤销，收回证书、牌匾；"
        "年度撤销和取消资格公示（第二十二至二十四、二十六条）"
    ),
    [
        (_("待研究"), "revocations_open"),
        (_("待决定"), "revocations_proposed"),
        (_("待收回"), "to_recall"),
    ],
)
