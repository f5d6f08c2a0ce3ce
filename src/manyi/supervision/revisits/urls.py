"""URL patterns of supervision/revisits (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manyi.supervision.revisits import views

urlpatterns = [
    path("revisits/", views.revisit_list, name="revisit_list"),
    path("revisits/plan/", views.revisit_plan, name="revisit_plan"),
    path("revisits/draw/", views.revisit_draw, name="revisit_draw"),
    path("revisits/draws/<int:pk>/", views.revisit_draw_detail, name="revisit_draw_detail"),
    path("revisits/mine/", views.revisit_mine, name="revisit_mine"),
    path("revisits/ours/", views.revisit_holder_list, name="revisit_holder_list"),
    path("revisits/<int:pk>/", views.revisit_detail, name="revisit_detail"),
    path("revisits/<int:pk>/experts/", views.revisit_experts, name="revisit_experts"),
    path("revisits/<int:pk>/notify/", views.revisit_notify, name="revisit_notify"),
    path("revisits/<int:pk>/record/", views.revisit_record, name="revisit_record"),
    path("revisits/<int:pk>/cancel/", views.revisit_cancel, name="revisit_cancel"),
    path("revisits/experts/<int:pk>/replace/", views.revisit_replace, name="revisit_replace"),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]).
SECTION = (
    _("回访确认"),
    "supervision:revisit_list",
    _(
        "用户委员会选择获证单位（手工或随机抽取），提前通知，派出无利益冲突的专家现场回访；未通过的，建议撤销称号（第二十三条）。"
    ),
    [(pgettext_lazy("revisits ahead", "待回访"), "revisits_ahead")],
)
