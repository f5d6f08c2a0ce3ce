"""The measurement panel of the dashboard (collected by ``portal.dashboard``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.common.panels import panel
from manyi.surveys.selectors import runs

PANEL_ORDER = 22


def panels(user) -> list[dict]:
    if not has_role(user, *PROGRAMME_STAFF, Role.AGENCY_STAFF):
        return []
    recent = (
        runs(user).select_related(None).only("title", "status").order_by("-created_at", "-pk")[:5]
    )
    return [
        panel(
            _("满意度测评"),
            items=[f"{r.title} · {r.get_status_display()}" for r in recent],
            url=reverse("surveys:dataset_list"),
            link_text=_("测评与报告"),
            empty=_("尚无测评"),
        )
    ]
