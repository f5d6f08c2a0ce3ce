"""Dashboard panels of diagnostics: the agency's requests waiting, the leader's reports to
write, the enterprise's reports to answer. A panel appears only when something waits."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.panels import panel
from manyi.common.templatetags.manyi import cn_date
from manyi.diagnostics import selectors

PANEL_ORDER = 60
# Diagnoses named on a panel; the rest are on the list page.
SHOWN = 5


def _panel(title, qs, line, url, link_text) -> list[dict]:
    count = qs.count()
    if not count:
        return []
    rows = qs.order_by("requested_at", "pk")[:SHOWN]
    return [panel(title, count=count, items=[line(d) for d in rows], url=url, link_text=link_text)]


def panels(user) -> list[dict]:
    found = []
    url = reverse("diagnostics:list")
    if has_role(user, Role.AGENCY_STAFF):
        found += _panel(
            _("待受理的诊断申请"),
            selectors.waiting_for_agency(user),
            lambda d: f"{cn_date(d.requested_at)} · {d.enterprise.name}",
            url + "?status=requested",
            _("全部诊断"),
        )
    if has_role(user, Role.EXPERT):
        found += _panel(
            _("待撰写的诊断报告"),
            selectors.reports_to_write(user),
            lambda d: f"{cn_date(d.visit_starts_at)} · {d.enterprise.name}",
            url + "?status=scheduled",
            _("我的诊断"),
        )
    if has_role(user, Role.ENTERPRISE_USER):
        found += _panel(
            _("待答复的诊断报告"),
            selectors.reports_to_answer(user),
            lambda d: f"{d.agency.name}",
            url + "?status=reported",
            _("诊断活动"),
        )
    return found
