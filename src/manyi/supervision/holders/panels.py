"""Dashboard panels of supervision/holders (collected by supervision/dashboard.py): committee
staff see the holder surveys under way and those waiting to be assessed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.common.panels import panel
from manyi.common.punctuation import labelled
from manyi.supervision.access import is_committee_staff
from manyi.supervision.holders import selectors


def panels(user) -> list[dict]:
    if not is_committee_staff.test(user):
        return []
    under_way = selectors.in_progress().count()
    if not under_way:
        return []
    waiting = selectors.awaiting_assessment().count()
    return [
        panel(
            _("获证组织调查"),
            count=under_way,
            items=[labelled(_("测评已完成、待重新判定"), waiting)] if waiting else [],
            url=reverse("supervision:holder_list"),
            link_text=_("全部获证组织调查"),
        )
    ]
