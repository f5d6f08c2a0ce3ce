"""What waits for each role: the panels of the dashboard.

Each panel is a small dict the template renders the same way; later capabilities add panels.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts import selectors as account_selectors
from manyi.accounts.access import has_role, memberships, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.dashboard import application_panels
from manyi.campaigns.dashboard import campaign_panels
from manyi.common.actions import action_label
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.common.panels import panel


def panels_for(user) -> list[dict]:
    panels: list[dict] = [*campaign_panels(user), *application_panels(user)]
    if has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED)
        panels.append(
            panel(
                _("发送失败的邮件"),
                count=failed.count(),
                items=[str(m) for m in failed[:5]],
                url=reverse("common:outbox") + "?status=failed",
                link_text=_("查看发件箱"),
                empty=_("没有发送失败的邮件"),
            )
        )
        invitations = account_selectors.open_invitations(user)
        panels.append(
            panel(
                _("尚未接受的邀请"),
                count=invitations.count(),
                items=[f"{i.email} · {i.get_role_display()}" for i in invitations[:5]],
                url=reverse("accounts:invitation_list"),
                link_text=_("管理邀请"),
                empty=_("没有待接受的邀请"),
            )
        )
    if has_role(user, *PROGRAMME_STAFF):
        orgs = account_selectors.organisation_list(user, kind="enterprise").order_by("-created_at")
        panels.append(
            panel(
                _("新注册的企业"),
                count=orgs.count(),
                items=[o.name for o in orgs[:5]],
                url=reverse("accounts:organisation_list") + "?kind=enterprise",
                link_text=_("全部企业"),
                empty=_("暂无企业注册"),
            )
        )
        recent = (
            ActivityLog.objects.all()[:5]
            if has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
            else []
        )
        if recent:
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
    if has_role(user, Role.AGENCY_STAFF):
        pending = account_selectors.agency_members(user, pending_only=True)
        panels.append(
            panel(
                _("待确认的会员企业"),
                count=pending.count(),
                items=[o.name for o in pending[:5]],
                url=reverse("accounts:agency_members"),
                link_text=_("处理"),
                empty=_("没有待确认的企业"),
            )
        )
        members = account_selectors.agency_members(user)
        panels.append(
            panel(
                _("会员企业"),
                count=members.count(),
                url=reverse("accounts:agency_members"),
                link_text=_("查看"),
            )
        )
    if has_role(user, *PROGRAMME_STAFF, Role.AGENCY_STAFF):
        from manyi.surveys.selectors import runs

        recent = runs(user)[:5]
        panels.append(
            panel(
                _("满意度测评"),
                items=[f"{r.title} · {r.get_status_display()}" for r in recent],
                url=reverse("surveys:dataset_list"),
                link_text=_("测评与报告"),
                empty=_("尚无测评"),
            )
        )
    if has_role(user, Role.ENTERPRISE_USER):
        for org in organisations_for(user, Role.ENTERPRISE_USER):
            items = []
            if org.agency_id and not org.agency_confirmed_at:
                items.append(_("等待 %(agency)s 确认会员关系") % {"agency": org.agency})
            elif not org.agency_id:
                items.append(_("尚未选择推进机构"))
            missing = [
                str(org._meta.get_field(f).verbose_name)
                for f in (
                    "legal_representative",
                    "address",
                    "postcode",
                    "phone",
                    "ownership",
                    "employees",
                )
                if not getattr(org, f)
            ]
            if missing:
                items.append(_("单位资料待补充：%(fields)s") % {"fields": "、".join(missing)})
            panels.append(
                panel(
                    org.name,
                    items=items,
                    url=reverse("accounts:organisation_detail", args=[org.pk]),
                    link_text=_("单位资料"),
                    empty=_("单位资料完整"),
                )
            )
    if has_role(user, Role.EXPERT):
        profile = account_selectors.expert_profile_of(user)
        items = (
            []
            if profile.is_complete
            else [_("请完善专家资料（职称、工作单位、专业特长、熟悉行业），以便抽取评审专家")]
        )
        panels.append(
            panel(
                _("专家资料"),
                items=items,
                url=reverse("accounts:expert_profile"),
                link_text=_("编辑"),
                empty=_("专家资料完整"),
            )
        )
    if has_role(user, Role.SURVEYOR):
        firms = organisations_for(user, Role.SURVEYOR)
        panels.append(panel(_("调查机构"), items=[f.name for f in firms], empty=_("暂无调查任务")))
    if not memberships(user):
        panels.append(
            panel(_("尚未加入任何组织"), items=[_("请联系广州市用户委员会，或注册您的企业")])
        )
    return panels
