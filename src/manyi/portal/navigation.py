"""The navigation bar: what each role can reach, in the order they need it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role

# (label, url name, roles that see it; empty = every logged-in person)
NAV = [
    (_("工作台"), "dashboard", ()),
    (_("本单位"), "accounts:my_organisation", ()),
    (_("申报活动"), "campaigns:list", ()),
    (_("申报"), "applications:list", (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)),
    (_("待推荐"), "applications:agency_queue", (Role.AGENCY_STAFF,)),
    (_("会员企业"), "accounts:agency_members", (Role.AGENCY_STAFF,)),
    (_("组织"), "accounts:organisation_list", PROGRAMME_STAFF),
    (_("满意度测评"), "surveys:dataset_list", (*PROGRAMME_STAFF, Role.AGENCY_STAFF)),
    (_("专家库"), "accounts:expert_list", (*PROGRAMME_STAFF, Role.AGENCY_STAFF)),
    (_("专家资料"), "accounts:expert_profile", (Role.EXPERT,)),
    (_("共有联系人"), "applications:shared_contacts", PROGRAMME_STAFF),
    (_("禁止申报名单"), "campaigns:ban_list", (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)),
    (_("邀请"), "accounts:invitation_list", (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)),
    (_("操作日志"), "common:activity_log", (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)),
    (_("发件箱"), "common:outbox", (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)),
]


def navigation_for(user) -> list[dict]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [
        {"label": label, "url": reverse(name), "name": name}
        for label, name, roles in NAV
        if not roles or has_role(user, *roles)
    ]
