"""Dashboard panels of agencies (collected by ``portal.dashboard``): the association's
administrator sees the requests waiting for a decision; an agency's staff see a suspended
recognition and their invitations not yet answered; an enterprise's users the invitations
they may answer."""

from django.urls import reverse
from django.utils.translation import gettext as _

from manyi.accounts.access import has_role, organisations_for
from manyi.accounts.roles import Role
from manyi.agencies import selectors
from manyi.agencies.standing import Standing, standing_of
from manyi.common.panels import panel
from manyi.common.punctuation import local_date

PANEL_ORDER = 26


def panels(user) -> list[dict]:
    return [*_admin_panels(user), *_agency_panels(user), *_enterprise_panels(user)]


def _admin_panels(user) -> list[dict]:
    if not has_role(user, Role.ASSOCIATION_ADMIN):
        return []
    waiting = selectors.waiting_requests()
    return [
        panel(
            _("推进机构认可申请待审核"),
            count=waiting.count(),
            items=[r.name for r in waiting[:5]],
            url=reverse("agencies:requests") + "?status=submitted",
            link_text=_("审核"),
            empty=_("没有待审核的认可申请"),
        )
    ]


def _agency_panels(user) -> list[dict]:
    if not has_role(user, Role.AGENCY_STAFF):
        return []
    panels = []
    for agency in selectors.own_agencies(user):
        standing = standing_of(agency)
        if standing == Standing.SUSPENDED:
            panels.append(
                panel(
                    _("本机构的推进机构认可已暂停"),
                    items=[
                        _("%(date)s 起暂停，恢复前不能推荐申报、不能邀请企业")
                        % {"date": local_date(agency.recognition_suspended_on)},
                        _("原因：%(reason)s") % {"reason": agency.recognition_suspension_reason},
                    ],
                    url=reverse("agencies:dashboard") + f"?agency={agency.pk}",
                    link_text=_("本机构概况"),
                )
            )
        elif standing == Standing.UNRECOGNISED:
            panels.append(
                panel(
                    _("本机构尚未获推进机构认可"),
                    items=[_("获广州市质量协会认可前不能推荐申报")],
                    url=reverse("agencies:apply"),
                    link_text=_("申请认可"),
                )
            )
    invitations = selectors.invitations_sent(user)
    panels.append(
        panel(
            _("待企业答复的邀请"),
            count=invitations.count(),
            items=[m.enterprise.name for m in invitations[:5]],
            url=reverse("agencies:dashboard"),
            link_text=_("本机构概况"),
            empty=_("没有待答复的邀请"),
        )
    )
    return panels


def _enterprise_panels(user) -> list[dict]:
    panels = []
    for organisation in organisations_for(user, Role.ENTERPRISE_USER):
        invitations = selectors.invitations_received(organisation)
        count = invitations.count()
        if count:
            panels.append(
                panel(
                    _("推进机构邀请贵单位加入"),
                    count=count,
                    items=[m.agency.name for m in invitations[:5]],
                    url=reverse("accounts:organisation_detail", args=[organisation.pk]),
                    link_text=_("答复邀请"),
                )
            )
    return panels
