"""The demo's supervision: what happened to last year's titles after the decision.

Built on the finished 2025 campaign of `titles.demo`, with the services people use, so the
activity log reads as it would:
- a violation (Art. 25): 珠江家电 advertised its title without the year;
- the work department's spot check of the title holders, weighted by risk, drawn with a fixed
  seed (`spotchecks.demo`): findings and evidence recorded, one 限期整改, one still to check;
- a revisit (Art. 23) of 越秀建设's title: experts drawn, the holder notified, the leader
  records 未通过; the proposal goes to the association, whose administrator revokes; the
  certificate is recalled, the plaque still to be;
- a fraud case (Art. 26): 羊城食品's product title revoked for copied materials, so a five-year
  ban by its 统一社会信用代码 and a 通报批评 follow; its user cannot start a new application;
- the association's 2026 public notice of revocations and disqualifications (Art. 24);
- open public complaints (`complaints.demo`), one already taken up by committee staff;
- an expired title: 岭南酒店's 2022 title, entered as a record from before the system (the one
  thing written directly here: a 2022 campaign and application the system never ran), granted
  through `grant_title` and expired by the daily task's service.

Idempotent: a database that already has a spot check is left as it is.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign, CampaignCategory, CampaignStatus
from manyi.supervision.models import (
    RevocationReason,
    SpotCheck,
    ViolationKind,
)
from manyi.titles.models import Title, TitleStatus

DEMO_ORDER = 70

ADMIN = "admin@demo.manyi.cn"
STAFF = "staff@demo.manyi.cn"

PEARL = "广州珠江家电制造有限公司"
YUEXIU = "广州越秀建设工程有限公司"
YANGCHENG = "广州羊城食品股份有限公司"
TIANHE = "广州天河物业管理有限公司"
LINGNAN = "广州岭南酒店管理有限公司"

REVISIT_SEED = 20261130
EXPIRED_YEAR = 2022


def _user(email) -> User:
    return User.objects.get(email=email)


def _title(name: str, year: int) -> Title | None:
    return (
        Title.objects.filter(organisation__name=name, year=year, status=TitleStatus.VALID)
        .order_by("pk")
        .first()
    )


def _pdf(name: str) -> SimpleUploadedFile:
    from manyi.applications.demo import evidence_pdf

    return SimpleUploadedFile(name, evidence_pdf(), content_type="application/pdf")


def _violation(year: int, staff) -> None:
    from manyi.supervision.sanctions.services import record_violation

    title = _title(PEARL, year)
    if title is None:
        return
    record_violation(
        by=staff,
        organisation=title.organisation,
        title=title,
        kind=ViolationKind.NO_YEAR,
        description="企业官网首页和门店海报使用“广州市实施用户满意工程先进单位”字样，未标明"
        f"“{year}年”，已要求限期更正（第二十五条）。",
        found_on=timezone.localdate() - datetime.timedelta(days=20),
        files=[_pdf("官网截图.pdf")],
    )


def _failed_revisit(year: int, staff, admin):
    from manyi.supervision.revisits.services import (
        default_prepare,
        draw_revisit_experts,
        notify_revisit,
        plan_revisits,
        record_revisit,
    )
    from manyi.supervision.revocations.services import decide_revocation, record_recall

    title = _title(YUEXIU, year)
    if title is None:
        return None
    today = timezone.localdate()
    (revisit,) = plan_revisits(titles=[title], visit_on=today, prepare=default_prepare(), by=staff)
    draw_revisit_experts(revisit=revisit, by=staff, seed=REVISIT_SEED)
    revisit = notify_revisit(revisit=type(revisit).objects.get(pk=revisit.pk), by=staff)
    leader = revisit.experts.filter(leader=True).select_related("expert").first()
    revisit = record_revisit(
        revisit=revisit,
        by=leader.expert if leader else staff,
        passed=False,
        findings="现场抽查三个在建项目，两个项目未按申报材料开展业主满意度回访，"
        "业主投诉处理记录缺失；申报时所称的质量管理体系未有效运行，未通过资质评审。",
        evidence=[_pdf("回访确认现场记录.pdf")],
    )
    case = revisit.revocations.first()
    if case is None:
        return None
    case = decide_revocation(
        case=case,
        by=admin,
        revoke=True,
        decision="经研究，同意用户委员会的建议，撤销该单位的称号，收回证书和牌匾（第二十三条）。",
        effective_on=today,
    )
    return record_recall(case=case, by=staff, certificate=True, plaque=False, on=today)


def _fraud(year: int, staff, admin):
    from manyi.supervision.revocations.opening import open_revocation
    from manyi.supervision.revocations.services import decide_revocation

    title = _title(YANGCHENG, year)
    if title is None:
        return None
    case = open_revocation(
        title=title,
        reason=RevocationReason.FRAUD,
        facts="经材料相似度比对和核查，该单位申报材料中的“用户满意工程主要做法”有约六成内容"
        "抄自其他单位公开发表的经验材料，且用户名单中有十余个号码为本单位员工。",
        by=staff,
        proposed=True,
        proposal="建议撤销其称号，收回证书、牌匾，予以通报批评，五年内不再受理其申报（第二十六条）。",
    )
    return decide_revocation(
        case=case,
        by=admin,
        revoke=True,
        decision="经研究，决定撤销该单位的称号，收回证书、牌匾，予以通报批评；自决定之日起"
        "五年内不再受理其参与活动的资格申报（第二十六条）。",
        effective_on=timezone.localdate(),
    )


def _expired_title(staff) -> Title | None:
    """岭南酒店's title of 2022: a record from before the system, expired since."""
    from manyi.titles.certificates.services import expire_titles
    from manyi.titles.services import grant_title

    organisation = Organisation.objects.filter(name=LINGNAN).first()
    if organisation is None:
        return None
    opened = timezone.make_aware(datetime.datetime(EXPIRED_YEAR, 3, 1))
    campaign, created = Campaign.objects.get_or_create(
        year=EXPIRED_YEAR,
        defaults={
            "title": f"申报{EXPIRED_YEAR}年广州市实施用户满意工程先进单位",
            "status": CampaignStatus.ARCHIVED,
            "opens_at": opened,
            "closes_at": opened + datetime.timedelta(days=90),
        },
    )
    if created:
        CampaignCategory.objects.bulk_create(
            CampaignCategory(campaign=campaign, category=c, data_year=EXPIRED_YEAR - 1)
            for c in Category.values
        )
    membership = organisation.memberships.filter(role=Role.ENTERPRISE_USER).first()
    application = Application.objects.create(
        campaign=campaign,
        category=Category.SERVICE,
        organisation=organisation,
        agency=organisation.agency_memberships.values_list("agency", flat=True).first()
        and Organisation.objects.get(pk=organisation.agency_memberships.first().agency_id),
        created_by=membership.user if membership else staff,
        status=Status.IN_NOTICE,
        number=f"{EXPIRED_YEAR}-FW-0001",
        form_data={"service_name": "酒店住宿与会议服务"},
    )
    title = grant_title(application=application, by=staff, on=datetime.date(EXPIRED_YEAR, 12, 28))
    expire_titles()
    title.refresh_from_db()
    return title


@transaction.atomic
def load_supervision_demo(report=None) -> dict:
    if SpotCheck.objects.exists():
        return {}
    current = Campaign.objects.order_by("-year").exclude(year=EXPIRED_YEAR).first()
    if current is None:
        return {}
    year = current.year - 1
    if not Title.objects.filter(year=year).exists():
        return {}
    from manyi.supervision.spotchecks.demo import load_spot_check_demo

    staff, admin = _user(STAFF), _user(ADMIN)
    _violation(year, staff)
    # Before the revisit and the fraud case: the check draws among titles still valid.
    check = load_spot_check_demo(report)
    revoked = _failed_revisit(year, staff, admin)
    fraud = _fraud(year, staff, admin)
    from manyi.supervision.revocations.notices import publish_annual_notice

    notice = publish_annual_notice(year=timezone.localdate().year, by=admin)
    expired = _expired_title(staff)
    return {
        "check": check,
        "revoked": revoked,
        "fraud": fraud,
        "notice": notice,
        "expired": expired,
    }


def load_demo(report) -> None:
    from manyi.supervision.complaints.demo import load_demo as load_complaints

    made = load_supervision_demo(report)
    if not made:
        return
    # After the revocations: the complaint is about a title still valid.
    load_complaints(report)
    fraud = made.get("fraud")
    if fraud is not None:
        user = (
            fraud.title.organisation.memberships.filter(role=Role.ENTERPRISE_USER)
            .select_related("user")
            .first()
        )
        if user is not None:
            report.accounts.append(
                (Role(Role.ENTERPRISE_USER).label, user.user.email, fraud.title.organisation.name)
            )
            report.lines.append(
                _(
                    "  禁止申报示例：%(email)s（%(name)s，因提供虚假材料被撤销称号，五年内不再受理申报）"
                )
                % {"email": user.user.email, "name": fraud.title.organisation.name}
            )
    notice = made.get("notice")
    if notice is not None:
        report.lines.append(
            _("  撤销和取消资格公示：%(title)s  /supervision/notices/%(pk)d/")
            % {"title": notice.title, "pk": notice.pk}
        )
