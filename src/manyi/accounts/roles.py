"""Organisation kinds and the roles a person can hold in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    ASSOCIATION = "association", _("广州市质量协会")
    COMMITTEE = "committee", _("广州市用户委员会")
    WORKDEPT = "workdept", _("广州市用户工作部")
    AGENCY = "agency", _("推进机构")
    ENTERPRISE = "enterprise", _("企业")
    SURVEY_FIRM = "survey_firm", _("第三方调查机构")


class Role(models.TextChoices):
    ASSOCIATION_ADMIN = "association_admin", _("协会管理员")
    COMMITTEE_STAFF = "committee_staff", _("用户委员会工作人员")
    WORKDEPT_STAFF = "workdept_staff", _("用户工作部工作人员")
    AGENCY_STAFF = "agency_staff", _("推进机构工作人员")
    ENTERPRISE_USER = "enterprise_user", _("企业用户")
    EXPERT = "expert", _("评审专家")
    SURVEYOR = "surveyor", _("调查访问员")
    SURVEY_MANAGER = "survey_manager", _("调查项目经理")


# Which organisation kind each role belongs to. Experts sit in the expert pool of the
# committee or of an agency (Art. 14).
ROLE_ORG_KINDS: dict[str, tuple[str, ...]] = {
    Role.ASSOCIATION_ADMIN: (OrgKind.ASSOCIATION,),
    Role.COMMITTEE_STAFF: (OrgKind.COMMITTEE,),
    Role.WORKDEPT_STAFF: (OrgKind.WORKDEPT,),
    Role.AGENCY_STAFF: (OrgKind.AGENCY,),
    Role.ENTERPRISE_USER: (OrgKind.ENTERPRISE,),
    Role.EXPERT: (OrgKind.COMMITTEE, OrgKind.AGENCY),
    Role.SURVEYOR: (OrgKind.SURVEY_FIRM,),
    Role.SURVEY_MANAGER: (OrgKind.SURVEY_FIRM,),
}

# The programme's own offices: they see across organisations.
PROGRAMME_STAFF = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF)
# Roles whose login must carry a second factor (TOTP).
ROLES_NEEDING_MFA = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.EXPERT, Role.SURVEY_MANAGER)
# Who may invite people into which roles.
INVITERS: dict[str, tuple[str, ...]] = {
    Role.ASSOCIATION_ADMIN: tuple(Role.values),
    Role.COMMITTEE_STAFF: (
        Role.COMMITTEE_STAFF,
        Role.WORKDEPT_STAFF,
        Role.AGENCY_STAFF,
        Role.ENTERPRISE_USER,
        Role.EXPERT,
        Role.SURVEYOR,
        Role.SURVEY_MANAGER,
    ),
}
# Who may invite people into which roles of their own organisation only.
OWN_ORGANISATION_INVITERS: dict[str, tuple[str, ...]] = {
    # A survey firm's project manager brings in the firm's own interviewers.
    Role.SURVEY_MANAGER: (Role.SURVEYOR,),
}


class Trade(models.TextChoices):
    """The sections of the brand and enterprise forms: 工业企业 / 工程企业 / 服务企业."""

    INDUSTRIAL = "industrial", _("工业企业")
    ENGINEERING = "engineering", _("工程企业")
    SERVICE = "service", _("服务企业")


class District(models.TextChoices):
    YUEXIU = "yuexiu", _("越秀区")
    HAIZHU = "haizhu", _("海珠区")
    LIWAN = "liwan", _("荔湾区")
    TIANHE = "tianhe", _("天河区")
    BAIYUN = "baiyun", _("白云区")
    HUANGPU = "huangpu", _("黄埔区")
    PANYU = "panyu", _("番禺区")
    HUADU = "huadu", _("花都区")
    NANSHA = "nansha", _("南沙区")
    CONGHUA = "conghua", _("从化区")
    ZENGCHENG = "zengcheng", _("增城区")


class AgencyScope(models.TextChoices):
    REGION = "region", _("地区")
    INDUSTRY = "industry", _("行业")
    USER_COMMITTEE = "user_committee", _("用户委员会")
