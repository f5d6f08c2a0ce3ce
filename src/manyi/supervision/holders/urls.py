"""URL patterns of supervision/holders (included by supervision/urls.py, namespace "supervision")."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from manyi.supervision.holders import views

urlpatterns = [
    path("holder-surveys/", views.holder_list, name="holder_list"),
    path("holder-surveys/launch/", views.holder_launch, name="holder_launch"),
    path("holder-surveys/<int:pk>/assess/", views.holder_assess, name="holder_assess"),
]

# The hub's door to this part: (label, url name, what it is for, [(words, overview count key)]).
SECTION = (
    _("获证组织调查"),
    "supervision:holder_list",
    _(
        "委托第三方调查机构再次调查获得称号的单位；满意度指数低于严重偏低线的，自动立案研究是否撤销（第二十二条）。"
    ),
    [],
)
