"""Dashboard panels of supervision/revisits (collected by supervision/dashboard.py): committee
staff see the revisits ahead, an expert "我的回访", a title holder its coming revisits."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import labelled
from manyi.common.templatetags.manyi import cn_date
from manyi.supervision.access import is_committee_staff
from manyi.supervision.models import Revisit, RevisitStatus
from manyi.supervision.revisits import selectors
from manyi.supervision.revisits.access import AHEAD

# Revisits named on a panel; the rest are on the list page.
SHOWN = 5


def panels(user) -> list[dict]:
    found = []
    if is_committee_staff.test(user):
        found.append(_staff_panel())
    if has_role(user, Role.EXPERT):
        found.append(_expert_panel(user))
    if has_role(user, Role.ENTERPRISE_USER):
        found += _holder_panels(user)
    return found


def _line(revisit) -> str:
    return f"{cn_date(revisit.visit_on)} · {revisit.title.organisation.name}"


def _staff_panel() -> dict:
    ahead = Revisit.objects.filter(status__in=AHEAD)
    counts = ahead.aggregate(
        total=Count("pk"), planned=Count("pk", filter=Q(status=RevisitStatus.PLANNED))
    )
    items = [labelled(_("待通知"), counts["planned"])] if counts["planned"] else []
    items += [
        _line(r)
        for r in ahead.select_related("title__organisation").order_by("visit_on", "pk")[:SHOWN]
    ]
    return panel(
        _("回访确认"),
        count=counts["total"],
        items=items,
        url=reverse("supervision:revisit_list"),
        link_text=_("全部回访"),
        empty=_("暂无待进行的回访"),
    )


def _expert_panel(user) -> dict:
    ahead = (
        selectors.revisits_of_expert(user)
        .filter(status=RevisitStatus.NOTIFIED)
        .prefetch_related(None)  # a line names the holder only
        .order_by("visit_on", "pk")
    )
    return panel(
        _("我的回访"),
        count=ahead.count(),
        items=[_line(r) for r in ahead[:SHOWN]],
        url=reverse("supervision:revisit_mine"),
        link_text=_("全部回访任务"),
        empty=_("暂无待进行的回访"),
    )


def _holder_panels(user) -> list[dict]:
    upcoming = selectors.upcoming_of_holder(user)
    count = upcoming.count()
    if not count:
        return []
    coming = upcoming.order_by("visit_on", "pk")[:SHOWN]
    today = timezone.localdate()
    return [
        panel(
            _("回访确认通知"),
            count=count,
            items=[
                _("%(day)s（%(days)d 天后）回访 %(number)s，请按通知准备材料")
                % {
                    "day": cn_date(r.visit_on),
                    "days": (r.visit_on - today).days,
                    "number": r.title.number,
                }
                for r in coming
            ],
            url=reverse("supervision:revisit_holder_list"),
            link_text=_("查看回访通知"),
        )
    ]
