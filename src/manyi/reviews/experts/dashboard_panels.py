"""The expert's dashboard panels (wired by the review app's dashboard): a declaration due, and
the assignments still to score."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.common.panels import panel
from manyi.reviews.access import is_expert
from manyi.reviews.experts import selectors
from manyi.reviews.models import AssignmentStatus

# Assignments named on the panel; the rest are on the list page.
SHOWN = 5


def panels(user) -> list[dict]:
    if not is_expert.test(user):
        return []
    found = []
    for campaign in selectors.campaigns_awaiting_declaration(user):
        found.append(
            panel(
                _("保密和无利益冲突声明"),
                items=[
                    _("请签署 %(year)d 年度声明：签署前不会被抽取为评审专家")
                    % {"year": campaign.year}
                ],
                url=reverse("reviews:experts_declaration", args=[campaign.year]),
                link_text=_("查看并签署"),
            )
        )
    # Active, and no score sheet submitted yet (none started, or a draft).
    to_score = (
        selectors.assignments_of(user)
        .filter(status=AssignmentStatus.ACTIVE)
        .exclude(sheet__submitted_at__isnull=False)
    )
    found.append(
        panel(
            _("我的评审任务"),
            count=to_score.count(),
            items=[
                f"{a.application.organisation} · {a.application.get_category_display()}"
                for a in to_score[:SHOWN]
            ],
            url=reverse("reviews:experts_assignments"),
            link_text=_("全部评审任务"),
            empty=_("暂无待评分的评审任务"),
        )
    )
    return found
