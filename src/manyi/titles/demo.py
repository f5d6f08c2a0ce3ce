"""The demo's finished year: last year's campaign taken from recommendation to granted titles.

Six applications of the previous campaign (recommended by `applications.demo`'s
LAST_YEAR_PLAN) go through every step with the services people use, so the activity log
reads as it would: accepted by the committee; surveyed by the firm and released; experts drawn
(seeded), rubric fixed and scored; decided (one benchmark, one not awarded below the
threshold), confirmed and released; published in 公示, where one objection is upheld and one
dismissed; granted after the period, with certificates to verify. This year's brand applicant
of 云山电子 copied passages of last year's 珠江家电 materials: the similarity check flags it.

Two things are written directly, and only here: the 公示's dates are moved into the past once
its objections are in (a demo cannot wait out the period), and the planted copied passage.
Idempotent: a previous campaign that already has decisions is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.applications.models import AgencySeal, Application
from manyi.applications.states import Status
from manyi.campaigns.models import Campaign, CampaignCategory

DEMO_ORDER = 60

STAFF = "staff@demo.manyi.cn"
ADMIN = "admin@demo.manyi.cn"
EXPERTS = [f"expert{n}@demo.manyi.cn" if n > 1 else "expert@demo.manyi.cn" for n in range(1, 7)]

# enterprise, category, shift of its customers' answers, what happens
PLAN = [
    ("广州珠江家电制造有限公司", "brand", 1.7, "benchmark"),
    ("广州天河物业管理有限公司", "service", 1.5, "award"),
    ("广州越秀建设工程有限公司", "engineering", 1.5, "award"),
    ("广州南粤精密仪器有限公司", "enterprise", 1.4, "upheld"),
    ("广州羊城食品股份有限公司", "product", 1.6, "dismissed"),
    ("广州岭南酒店管理有限公司", "service", -0.5, "not_award"),
]
AWARD_REASONS = "第三方调查满意度指数高于本类别门槛，专家评审意见一致，建议授予称号。"
BENCHMARK_REASONS = "满意度指数位列同类第一，用户满意工程经验系统完整，建议授予称号并列为标杆。"
NOT_AWARD_REASONS = "第三方调查满意度指数低于本类别门槛，专家多数不建议授予。"
OBJECTIONS = {
    "upheld": (
        "该企业在2025年发生过批量产品召回，申报材料未如实说明。",
        "经核查，召回属实且申报材料隐瞒，异议成立，撤回拟授予意见。",
    ),
    "dismissed": (
        "该企业门店服务态度差，我去年投诉过一次。",
        "经核查，投诉已于当月妥善处理，属个别事件，不影响评定结论，异议不成立。",
    ),
}


def _user(email) -> User:
    return User.objects.get(email=email)


def _association_seal(admin) -> None:
    """The association's seal, printed on certificates (uploaded once, like an agency's)."""
    from manyi.applications.demo import seal_png
    from manyi.common.files import store_upload

    association = Organisation.objects.filter(kind=OrgKind.ASSOCIATION).first()
    if association is None or AgencySeal.objects.filter(agency=association).exists():
        return
    path, digest, _size = store_upload(
        SimpleUploadedFile("seal.png", seal_png(association.name)), folder="seals", suffix=".png"
    )
    AgencySeal.objects.create(
        agency=association,
        file_path=path,
        content_type="image/png",
        sha256=digest,
        uploaded_by=admin,
    )


def _applications(campaign) -> list[tuple[Application, float, str]]:
    found = []
    for name, category, shift, what in PLAN:
        application = Application.objects.filter(
            campaign=campaign, organisation__name=name, category=category
        ).first()
        if application is not None:
            found.append((application, shift, what))
    return found


def _experts_and_scores(campaign, applications, staff, rng) -> None:
    from manyi.reviews.experts.services import draw_experts, sign_declaration
    from manyi.reviews.models import Assignment, AssignmentStatus, Recommendation
    from manyi.reviews.scoring.rubric import ensure_rubric
    from manyi.reviews.scoring.services import open_round, save_sheet

    for email in EXPERTS:
        expert = User.objects.filter(email=email).first()
        if expert is not None and not campaign.declarations.filter(expert=expert).exists():
            sign_declaration(expert=expert, campaign=campaign, conflicts=[], competitors="")
    for k, (application, _shift, _what) in enumerate(applications):
        draw_experts(application=application, by=staff, seed=2025_0000 + k)
    for setting in CampaignCategory.objects.filter(
        campaign=campaign, category__in={a.category for a, _s, _w in applications}
    ):
        ensure_rubric(setting)
        open_round(campaign_category=setting, by=staff)
    for application, _shift, what in applications:
        good = what != "not_award"
        for assignment in Assignment.objects.filter(
            application=application, status=AssignmentStatus.ACTIVE
        ).select_related("expert"):
            from manyi.reviews.scoring.rubric import criteria_of

            scores = {}
            for criterion in criteria_of(application):
                if criterion.source != "expert":
                    continue
                base = 8.2 if good else 6.0
                value = min(criterion.max_score, max(0, base + rng.uniform(-1.2, 1.2)))
                scores[criterion.code] = (Decimal(f"{value:.1f}"), "")
            save_sheet(
                assignment=assignment,
                by=assignment.expert,
                scores=scores,
                recommendation=Recommendation.AWARD if good else Recommendation.NOT_AWARD,
                comment="材料翔实，措施具体，测量与改进形成闭环。"
                if good
                else "满意度测量和改进不够系统，投诉处理未形成闭环。",
                submit=True,
            )


def _decide_and_publish(campaign, applications, staff, admin) -> list:
    from manyi.titles.decisions.services import (
        confirm_decision,
        propose_decision,
        release_decisions,
    )

    for application, _shift, what in applications:
        decision = propose_decision(
            application=application,
            by=staff,
            proposal="not_award" if what == "not_award" else "award",
            reasons={"benchmark": BENCHMARK_REASONS, "not_award": NOT_AWARD_REASONS}.get(
                what, AWARD_REASONS
            ),
            benchmark=what == "benchmark",
            override=False,
        )
        confirm_decision(decision=decision, by=admin)
    releases = []
    for category in sorted({a.category for a, _s, _w in applications}):
        releases.append(release_decisions(campaign=campaign, category=category, by=admin))
    return releases


def _objections_and_grant(campaign, applications, staff) -> None:
    from manyi.titles.models import NoticeKind, PublicNotice
    from manyi.titles.notices.services import (
        assign_investigator,
        decide_objection,
        grant_notice,
        submit_objection,
    )

    for application, _shift, what in applications:
        if what not in OBJECTIONS:
            continue
        notice = application.decision.notice
        reasons, findings = OBJECTIONS[what]
        objection, _token = submit_objection(
            notice=notice,
            application=application,
            name="张先生",
            contact="139****0000（公示期内致电）",
            reasons=reasons,
            evidence=None,
            ip="203.0.113.7",
        )
        objection = assign_investigator(objection=objection, by=staff, investigator=staff)
        decide_objection(
            objection=objection,
            by=staff,
            outcome="upheld" if what == "upheld" else "dismissed",
            findings=findings,
        )
    today = timezone.localdate()
    notices = PublicNotice.objects.filter(campaign=campaign, kind=NoticeKind.PUBLICITY)
    for notice in notices:
        # The one direct write: the period is moved into the past, as if it had been waited out.
        length = (notice.ends_on - notice.starts_on).days
        PublicNotice.objects.filter(pk=notice.pk).update(
            starts_on=today - datetime.timedelta(days=length + 30),
            ends_on=today - datetime.timedelta(days=30),
        )
        notice.refresh_from_db()
        grant_notice(notice=notice, by=staff)


def _planted_copy(current, previous) -> None:
    """This year's 云山电子 brand materials copy a long passage of last year's 珠江家电."""
    source = Application.objects.filter(
        campaign=previous, organisation__name="广州珠江家电制造有限公司", category="brand"
    ).first()
    copier = Application.objects.filter(
        campaign=current, organisation__name="广州云山电子科技有限公司", category="brand"
    ).first()
    if source is None or copier is None or source.measures[:400] in copier.measures:
        return
    half = len(source.measures) // 2
    Application.objects.filter(pk=copier.pk).update(
        measures=source.measures[:half] + copier.measures[half:]
    )


def _similarity(current, staff) -> None:
    from manyi.reviews.similarity.services import execute_run, request_similarity_run

    run = request_similarity_run(campaign=current, by=staff)
    execute_run(run=run)


@transaction.atomic
def load_titles_demo() -> dict:
    from manyi.campaigns.selectors import current_campaign
    from manyi.fieldwork.demo import demo_survey, finish_survey, publish_questionnaires
    from manyi.reviews.formal.services import accept_application

    current = current_campaign()
    previous = Campaign.objects.filter(year=current.year - 1).first() if current else None
    if previous is None or previous.applications.filter(decision__isnull=False).exists():
        return {}
    staff, admin = _user(STAFF), _user(ADMIN)
    _association_seal(admin)
    publish_questionnaires(staff)
    applications = _applications(previous)
    rng = random.Random(20251231)
    for k, (application, shift, _what) in enumerate(applications):
        if application.status == Status.RECOMMENDED:
            accept_application(
                application=application,
                by=staff,
                opinion="经形式审查，申报材料齐全、符合要求，同意受理。",
            )
            application.refresh_from_db()
        survey = demo_survey(application, staff, days_ago=25, seed=2025_100 + k)
        finish_survey(survey, staff, shift=shift, seed=2025_100 + k, release=True)
    applications = [(a.__class__.objects.get(pk=a.pk), s, w) for a, s, w in applications]
    _experts_and_scores(previous, applications, staff, rng)
    _decide_and_publish(previous, applications, staff, admin)
    applications = [(a.__class__.objects.get(pk=a.pk), s, w) for a, s, w in applications]
    _objections_and_grant(previous, applications, staff)
    _planted_copy(current, previous)
    _similarity(current, staff)
    return {"campaign": previous}


def load_demo(report) -> None:
    from manyi.titles.models import Title

    load_titles_demo()
    for title in Title.objects.select_related("organisation").order_by("number"):
        report.lines.append(
            _("  称号：%(number)s %(org)s  /titles/verify/%(number)s/")
            % {"number": title.number, "org": title.organisation.name}
        )
