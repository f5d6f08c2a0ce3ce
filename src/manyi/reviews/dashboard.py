"""Dashboard panels of the committee's review (collected by ``portal.dashboard``).

Committee staff and the association's administrator see the current campaign's applications
waiting for the formal review, the completed notices back with them and those in evaluation,
each linking to the review list filtered by that status; an expert sees its assignments and
any declaration due (from ``reviews.experts.dashboard_panels`` when that package provides it).
"""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.common.panels import panel
from manyi.common.punctuation import labelled

PANEL_ORDER = 22


def panels(user) -> list[dict]:
    found = []
    if has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN):
        found += _staff_panels()
    if has_role(user, Role.EXPERT):
        try:
            from manyi.reviews.experts.dashboard_panels import panels as expert_panels
        except ImportError:
            expert_panels = None
        if expert_panels is not None:
            found += expert_panels(user)
    return found


# (status counted, panel title, link text, words when there is none)
STAFF_PANELS = (
    (
        Status.RECOMMENDED,
        gettext_lazy("待形式审查"),
        gettext_lazy("开始审查"),
        gettext_lazy("暂无待形式审查的申报"),
    ),
    (
        Status.COMPLETED,
        gettext_lazy("已补正，待审核"),
        gettext_lazy("审核补正"),
        gettext_lazy("暂无已补正待审核的申报"),
    ),
    (
        Status.ACCEPTED,
        gettext_lazy("已受理，评价中"),
        gettext_lazy("查看评价中的申报"),
        gettext_lazy("暂无评价中的申报"),
    ),
)


def _staff_panels() -> list[dict]:
    from manyi.campaigns.selectors import current_campaign

    campaign = current_campaign()
    counted = (*(row[0] for row in STAFF_PANELS), Status.DEFICIENT)
    counts = (
        Application.objects.filter(campaign=campaign).aggregate(
            **{s: Count("pk", filter=Q(status=s)) for s in counted}
        )
        if campaign
        else dict.fromkeys(counted, 0)
    )
    found = []
    for status, title, link_text, empty in STAFF_PANELS:
        items = []
        if status == Status.RECOMMENDED and counts[Status.DEFICIENT]:
            # Notices out and not yet completed: nothing to do until the applicant answers.
            items.append(labelled(_("待申报单位补正"), counts[Status.DEFICIENT]))
        query = f"?status={status}" + (f"&campaign={campaign.pk}" if campaign else "")
        found.append(
            panel(
                title,
                count=counts[status],
                items=items,
                url=reverse("reviews:list") + query,
                link_text=link_text,
                empty=empty if not items else "",
            )
        )
    return found
