"""The dashboard: the panels every installed app contributes, plus the auditors' own.

An app contributes panels with a ``dashboard.py`` module that defines ``panels(user)``
(returning ``common.panels.panel`` dicts) and ``PANEL_ORDER`` (smaller first). The portal
collects them; the apps never import the portal.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import Role
from manyi.common.actions import action_label
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.common.panels import panel
from manyi.common.registry import app_modules

PANEL_ORDER = 30
AUDITORS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)


def panels_for(user) -> list[dict]:
    contributors = sorted(app_modules("dashboard"), key=lambda m: getattr(m, "PANEL_ORDER", 50))
    return [p for module in contributors for p in module.panels(user)]


def panels(user) -> list[dict]:
    """The auditors' panels: mail that failed and the latest entries of the activity log."""
    if not has_role(user, *AUDITORS):
        return []
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
    panels = [
        panel(
            _("发送失败的邮件"),
            count=failed.count(),
            items=[str(m) for m in failed[:5]],
            url=reverse("common:outbox") + "?status=failed",
            link_text=_("查看发件箱"),
            empty=_("没有发送失败的邮件"),
        )
    ]
    recent = ActivityLog.objects.all()[:5]
    if recent:  # a new installation has nothing to show yet
        panels.append(
            panel(
                _("最近操作"),
                items=[
                    f"{timezone.localtime(e.at):%m-%d %H:%M} {e.actor_label.split(' <')[0]} {action_label(e.action)}"
                    for e in recent
                ],
                url=reverse("common:activity_log"),
                link_text=_("操作日志"),
            )
        )
    return panels
