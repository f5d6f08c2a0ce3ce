"""Dashboard panels about applications: what waits for the applicant, the agency and the staff."""

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications import selectors
from manyi.applications.agency.selectors import agency_queue
from manyi.applications.states import Status
from manyi.common.panels import panel
from manyi.common.punctuation import labelled

PANEL_ORDER = 20


def panels(user) -> list[dict]:
    panels = []
    if has_role(user, Role.ENTERPRISE_USER):
        mine = selectors.applications(user).order_by("-updated_at")[:6]
        panels.append(
            panel(
                _("本单位的申报"),
                items=[labelled(a.get_category_display(), a.applicant_status) for a in mine],
                url=reverse("applications:list"),
                link_text=_("申报"),
                empty=_("尚未申报，可在申报页选择类别开始填写"),
            )
        )
    if has_role(user, Role.AGENCY_STAFF):
        queue = agency_queue(user)
        panels.append(
            panel(
                _("待推荐的申报"),
                count=queue.count(),
                items=[f"{a.organisation} · {a.get_category_display()}" for a in queue[:5]],
                url=reverse("applications:agency_queue"),
                link_text=_("出具推荐意见"),
                empty=_("没有待推荐的申报"),
            )
        )
    if has_role(user, *PROGRAMME_STAFF):
        counts = dict(selectors.applications(user).values_list("status").annotate(n=Count("pk")))
        items = [
            labelled(label, counts.get(value, 0))
            for value, label in Status.choices
            if value not in (Status.DRAFT,) and counts.get(value)
        ]
        panels.append(
            panel(
                _("申报情况"),
                count=sum(counts.values()),
                items=items,
                url=reverse("applications:list"),
                link_text=_("全部申报"),
                empty=_("暂无已提交的申报"),
            )
        )
    return panels
