"""URL patterns of supervision/sanctions (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from manyi.supervision.sanctions import views

urlpatterns = [
    path("sanctions/", views.sanction_list, name="sanction_list"),
    path("sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    path("sanctions/<int:pk>/reinstate/", views.sanction_reinstate, name="sanction_reinstate"),
    path("sanctions/disqualify/", views.sanction_disqualify, name="sanction_disqualify"),
    path("sanctions/remove-expert/", views.sanction_remove_expert, name="sanction_remove_expert"),
    path(
        "sanctions/disable-account/",
        views.sanction_disable_account,
        name="sanction_disable_account",
    ),
    path("sanctions/reassign/", views.sanction_reassign_list, name="sanction_reassign_list"),
    path("sanctions/reassign/<int:pk>/", views.sanction_reassign, name="sanction_reassign"),
    path("violations/", views.violation_list, name="violation_list"),
    path("violations/new/", views.violation_create, name="violation_create"),
    path("violations/<int:pk>/", views.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/evidence/", views.violation_evidence, name="violation_evidence"),
    path("violations/<int:pk>/revoke/", views.violation_revoke, name="violation_revoke"),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]),
# or None when the part has no staff page of its own.
SECTION = (
    _("违规与处理"),
    "supervision:sanction_list",
    _(
        "违规宣传等违规记录（第二十五条）；取消推进机构资格、移出专家库、停用账号（第二十七条），"
        "以及被取消资格的推进机构待改派的申报"
    ),
    [],
)
