"""Dashboard panels of the committee's review (collected by ``portal.dashboard``).

Programme staff see the applications waiting for the formal review, the completed notices
back with them and those in evaluation; an expert sees its assignments and any declaration
due (from ``reviews.experts.dashboard_panels`` when that package provides it).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.common.panels import panel
from manyi.common.punctuation import labelled

PANEL_ORDER = 22


def panels(user) -> list[dict]:
    found = []
    if has_role(user, *PROGRAMME_STAFF):
        found.append(_staff_panel())
    if has_role(user, Role.EXPERT):
        try:
            from manyi.reviews.experts.dashboard_panels import panels as expert_panels
        except ImportError:
            expert_panels = None
        if expert_panels is not None:
            found += expert_panels(user)
    return found


def _staff_panel() -> dict:
    from manyi.campaigns.selectors import current_campaign

    campaign = current_campaign()
    rows = (
        Status.RECOMMENDED,
        Status.DEFICIENT,
        Status.COMPLETED,
        Status.ACCEPTED,
    )
    counts = (
        Application.objects.filter(campaign=campaign).aggregate(
            **{s: Count("pk", filter=Q(status=s)) for s in rows}
        )
        if campaign
        else dict.fromkeys(rows, 0)
    )
    items = [labelled(Status(s).label, counts[s]) for s in rows if counts[s]]
    return panel(
        _("审核与评审"),
        count=counts[Status.RECOMMENDED] + counts[Status.COMPLETED],
        items=items,
        url=reverse("reviews:list"),
        link_text=_("全部已推荐的申报"),
        empty=_("本年度暂无待审核的申报"),
    )
