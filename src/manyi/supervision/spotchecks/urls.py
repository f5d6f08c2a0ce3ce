"""URL patterns of supervision/spotchecks (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from manyi.supervision.spotchecks import views

urlpatterns: list = [
    path("spot-checks/", views.spotcheck_list, name="spotcheck_list"),
    path("spot-checks/new/", views.spotcheck_create, name="spotcheck_create"),
    path("spot-checks/<int:pk>/", views.spotcheck_detail, name="spotcheck_detail"),
    path("spot-checks/<int:pk>/draw/", views.spotcheck_draw, name="spotcheck_draw"),
    path("spot-checks/<int:pk>/close/", views.spotcheck_close, name="spotcheck_close"),
    path("spot-checks/items/<int:pk>/", views.spotcheck_item, name="spotcheck_item"),
    path("spot-checks/items/<int:pk>/record/", views.spotcheck_record, name="spotcheck_record"),
    path(
        "spot-checks/items/<int:pk>/rectified/",
        views.spotcheck_rectified,
        name="spotcheck_rectified",
    ),
    path("spot-checks/items/<int:pk>/revoke/", views.spotcheck_revoke, name="spotcheck_revoke"),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]),
# or None when the part has no staff page of its own.
SECTION = (
    _("抽查"),
    "supervision:spotcheck_list",
    _(
        "用户工作部对推进机构和参与活动的组织进行抽查（第二十一条）：按风险加权随机抽取，可复核；记录检查发现和结论，限期整改并提醒。"
    ),
    [(_("进行中的抽查"), "spot_checks_open"), (_("待整改"), "items_to_rectify")],
)
