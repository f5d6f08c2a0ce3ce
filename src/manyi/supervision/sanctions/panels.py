"""Dashboard panels of supervision/sanctions (collected by supervision/dashboard.py).

Committee staff and the administrator see the applications a disqualified agency left behind,
when there are any; the staff of a disqualified agency are told why they recommend nothing.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.punctuation import local_date

SHOWN = 5


def panels(user) -> list[dict]:
    from manyi.supervision.sanctions.selectors import pending_reassignment

    found = []
    if has_role(user, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN):
        waiting = pending_reassignment(user)
        count = waiting.count()
        if count:
            found.append(
                panel(
                    _("待改派的申报"),
                    count=count,
                    items=[
                        f"{a.organisation.name} · {a.get_category_display()} · {a.agency.name}"
                        for a in waiting[:SHOWN]
                    ],
                    url=reverse("supervision:sanction_reassign_list"),
                    link_text=_("改派推进机构"),
                )
            )
    for agency in organisations_for(user, Role.AGENCY_STAFF):
        if agency.disqualified_on is not None:
            found.append(
                panel(
                    _("推进机构资格"),
                    items=[
                        _(
                            "%(agency)s 自%(date)s起被取消推进机构资格（第二十七条），不能再推荐申报；"
                            "已提交的申报由广州市用户委员会改派其他推进机构"
                        )
                        % {"agency": agency.name, "date": local_date(agency.disqualified_on)}
                    ],
                )
            )
    return found
