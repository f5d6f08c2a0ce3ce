"""Dashboard panels about people and organisations (collected by ``portal.dashboard``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts import selectors
from manyi.accounts.access import has_role, memberships, organisations_for
from manyi.accounts.roles import PROGRAMME_STAFF, OrgKind, Role
from manyi.common.panels import panel
from manyi.common.punctuation import join_words

PANEL_ORDER = 25
# The organisation details every form asks for; the enterprise is reminded until they are given
# (in the profile, or in 附件2, which copies them to the profile).
PROFILE_FIELDS = ("legal_representative", "address", "postcode", "phone", "ownership", "employees")


def panels(user) -> list[dict]:
    return [
        *_staff_panels(user),
        *_agency_panels(user),
        *_enterprise_panels(user),
        *_expert_panels(user),
        *_surveyor_panels(user),
        *_newcomer_panels(user),
    ]


def _staff_panels(user) -> list[dict]:
    panels = []
    if has_role(user, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF):
        invitations = selectors.open_invitations(user)
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
        orgs = (
            selectors.visible_organisations(user)
            .filter(kind=OrgKind.ENTERPRISE)
            .order_by("-created_at", "-pk")
        )
        panels.append(
            panel(
                _("新注册的企业"),
                count=orgs.count(),
                items=[o.name for o in orgs[:5]],
                url=reverse("accounts:organisation_list") + "?kind=enterprise&sort=-created",
                link_text=_("全部企业"),
                empty=_("暂无企业注册"),
            )
        )
    return panels


def _agency_panels(user) -> list[dict]:
    if not has_role(user, Role.AGENCY_STAFF):
        return []
    pending = selectors.agency_members(user, pending_only=True)
    members = selectors.agency_members(user)
    return [
        panel(
            _("待确认的会员企业"),
            count=pending.count(),
            items=[m.enterprise.name for m in pending[:5]],
            url=reverse("accounts:agency_members") + "?state=waiting",
            link_text=_("处理"),
            empty=_("没有待确认的企业"),
        ),
        panel(
            _("会员企业"),
            count=members.count(),
            url=reverse("accounts:agency_members"),
            link_text=_("查看"),
        ),
    ]


def _enterprise_panels(user) -> list[dict]:
    panels = []
    for org in organisations_for(user, Role.ENTERPRISE_USER):
        items = []
        agency_memberships = list(selectors.agency_memberships_of(org))
        for m in agency_memberships:
            if not m.is_confirmed:
                items.append(_("等待 %(agency)s 确认会员关系") % {"agency": m.agency})
        if not agency_memberships:
            items.append(_("尚未选择推进机构"))
        missing = [
            str(org._meta.get_field(f).verbose_name)
            for f in PROFILE_FIELDS
            if getattr(org, f) in (None, "")
        ]
        if missing:
            items.append(_("单位资料待补充：%(fields)s") % {"fields": join_words(missing)})
        panels.append(
            panel(
                org.name,
                items=items,
                url=reverse("accounts:organisation_detail", args=[org.pk]),
                link_text=_("单位资料"),
                empty=_("单位资料完整"),
            )
        )
    return panels


def _expert_panels(user) -> list[dict]:
    if not has_role(user, Role.EXPERT):
        return []
    profile = selectors.expert_profile_of(user)
    items = (
        []
        if profile.is_complete
        else [_("请完善专家资料（职称、工作单位、专业特长、熟悉行业），以便抽取评审专家")]
    )
    return [
        panel(
            _("专家资料"),
            items=items,
            url=reverse("accounts:expert_profile"),
            link_text=_("编辑"),
            empty=_("专家资料完整"),
        )
    ]


def _surveyor_panels(user) -> list[dict]:
    if not has_role(user, Role.SURVEYOR):
        return []
    firms = organisations_for(user, Role.SURVEYOR)
    return [panel(_("调查机构"), items=[f.name for f in firms], empty=_("暂无调查任务"))]


def _newcomer_panels(user) -> list[dict]:
    if memberships(user):
        return []
    return [panel(_("尚未加入任何组织"), items=[_("请联系广州市用户委员会，或注册您的企业")])]
