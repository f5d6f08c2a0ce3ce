"""The navigation bar: what each role can reach, grouped so it fits one line at 1280 px.

A group with one visible entry shows as a plain link; with more it is a drop-down menu.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manyi.accounts.access import has_role
from manyi.accounts.roles import PROGRAMME_STAFF, Role

AUDITORS = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
APPLYING = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
SURVEY_FIRM = (Role.SURVEY_MANAGER, Role.SURVEYOR)
NOT_STAFF = tuple(role for role in Role if role not in PROGRAMME_STAFF)
# Public pages: shown to visitors who are not logged in as well.
ANYONE = ("*",)

# (group label, [(label, url name, roles that see it; empty = every logged-in person)])
NAV = [
    (None, [(_("工作台"), "dashboard", ())]),
    # The programme's own offices reach their office's page from the account menu (base.html):
    # their bar holds more groups and must still fit 1280 px in English.
    (None, [(_("本单位"), "accounts:my_organisation", NOT_STAFF)]),
    (
        _("申报"),
        [
            (_("申报活动"), "campaigns:list", ()),
            (_("申报"), "applications:list", APPLYING),
            (_("待推荐"), "applications:agency_queue", (Role.AGENCY_STAFF,)),
            (_("共有联系人"), "applications:shared_contacts", PROGRAMME_STAFF),
            (_("审核与评审"), "reviews:list", PROGRAMME_STAFF),
            (_("评定与公示"), "titles:decision_index", PROGRAMME_STAFF),
        ],
    ),
    (
        _("监督"),
        [
            (_("监督与纪律"), "supervision:index", PROGRAMME_STAFF),
            (_("禁止申报名单"), "campaigns:ban_list", AUDITORS),
        ],
    ),
    (
        _("调查与测评"),
        [
            (_("第三方调查"), "fieldwork:survey_list", (*PROGRAMME_STAFF, *SURVEY_FIRM)),
            (_("电话访问"), "fieldwork:call_queue", (Role.SURVEYOR,)),
            (_("质量复核"), "fieldwork:review_list", (Role.SURVEY_MANAGER,)),
            (_("接口密钥"), "fieldwork:api_tokens", (Role.SURVEY_MANAGER,)),
            (_("问卷"), "fieldwork:questionnaire_list", PROGRAMME_STAFF),
            (_("满意度测评"), "surveys:dataset_list", (*PROGRAMME_STAFF, Role.AGENCY_STAFF)),
            (_("我的测评"), "selfmeasure:index", (Role.ENTERPRISE_USER,)),
        ],
    ),
    (
        _("推进活动"),
        [
            (_("年度计划"), "programme:plan_public", ANYONE),
            (_("新闻动态"), "programme:news_list", ANYONE),
            (pgettext_lazy("list", "交流活动"), "events:list", ANYONE),
            (
                _("培训"),
                "training:index",
                (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER),
            ),
            (
                _("诊断"),
                "diagnostics:list",
                (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT),
            ),
            (pgettext_lazy("list", "推进机构"), "agencies:list", PROGRAMME_STAFF),
            (_("推进机构名录"), "agencies:directory", ANYONE),
            (_("本机构概况"), "agencies:dashboard", (Role.AGENCY_STAFF,)),
        ],
    ),
    (
        _("组织与专家"),
        [
            (_("组织"), "accounts:organisation_list", PROGRAMME_STAFF),
            (_("会员企业"), "accounts:agency_members", (Role.AGENCY_STAFF,)),
            (_("专家库"), "accounts:expert_list", (*PROGRAMME_STAFF, Role.AGENCY_STAFF)),
            (_("专家资料"), "accounts:expert_profile", (Role.EXPERT,)),
            (_("我的评审"), "reviews:experts_assignments", (Role.EXPERT,)),
            (_("我的回访"), "supervision:revisit_mine", (Role.EXPERT,)),
            (_("邀请"), "accounts:invitation_list", AUDITORS),
        ],
    ),
    (
        _("系统"),
        [
            (_("操作日志"), "common:activity_log", AUDITORS),
            (_("发件箱"), "common:outbox", AUDITORS),
            (_("后台任务"), "common:jobs", AUDITORS),
        ],
    ),
]


def navigation_for(user) -> list[dict]:
    """The visible groups: ``{"label", "url", "name"}`` for a link, ``{"label", "children"}`` for a menu."""
    logged_in = getattr(user, "is_authenticated", False)

    def visible(roles) -> bool:
        if roles == ANYONE:
            return True
        return logged_in and (not roles or has_role(user, *roles))

    out = []
    for group, entries in NAV:
        items = [
            {"label": label, "url": reverse(name), "name": name}
            for label, name, roles in entries
            if visible(roles)
        ]
        if len(items) == 1:
            out.append(items[0])
        elif items:
            out.append({"label": group, "children": items})
    return out
