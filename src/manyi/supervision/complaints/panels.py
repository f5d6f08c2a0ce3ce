"""Dashboard panels of supervision/complaints (collected by supervision/dashboard.py).

Committee staff and the administrator see the open complaints, major ones first; an expert
given a complaint to investigate sees those.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import bracketed
from manyi.supervision.models import Complaint

SHOWN = 5


def _line(complaint: Complaint) -> str:
    about = complaint.title.number if complaint.title_id else complaint.about
    words = f"{about}{bracketed(complaint.get_status_display())}"
    return f"{_('【重大】')}{words}" if complaint.major else words


def panels(user) -> list[dict]:
    from manyi.supervision.complaints.selectors import open_complaints

    found = []
    if has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN):
        waiting = open_complaints()
        count = waiting.count()
        found.append(
            panel(
                _("待处理的投诉"),
                count=count,
                items=[_line(c) for c in waiting[:SHOWN]] if count else (),
                url=reverse("supervision:complaint_list"),
                link_text=_("处理投诉"),
                empty=_("暂无待处理的投诉"),
            )
        )
    elif has_role(user, Role.EXPERT):
        mine = open_complaints().filter(investigator=user)
        count = mine.count()
        if count:
            found.append(
                panel(
                    _("请您调查的投诉"),
                    count=count,
                    items=[_line(c) for c in mine[:SHOWN]],
                    url=reverse("supervision:complaint_list"),
                    link_text=_("查看"),
                )
            )
    return found
