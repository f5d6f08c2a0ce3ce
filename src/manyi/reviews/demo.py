"""The demo's formal review of this year's recommended applications, before fieldwork (50).

Built through the services staff and applicants use, so the activity log reads as it would:
four applications accepted for evaluation (their surveys follow in fieldwork's demo), one
waiting for its applicant to complete a deficiency notice (一次性告知), one completed and back
with the committee, one rejected, one not yet looked at. Then the experts sign this year's
declaration, and the brand and service applicants get their experts drawn. Idempotent: an
application already past 已推荐 is left as it is.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from manyi.accounts.models import User
from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.applications.states import Status

DEMO_ORDER = 45

STAFF = "staff@demo.manyi.cn"

ACCEPT_OPINION = "经形式审查，申报材料齐全、符合要求，同意受理，进入第三方用户评价调查和专家评审。"
# enterprise, category, what the committee does
PLAN = [
    ("广州珠江家电制造有限公司", "brand", "accept"),
    ("广州天河物业管理有限公司", "service", "accept"),
    ("广州越秀建设工程有限公司", "engineering", "accept"),
    ("广州番禺燃气有限公司", "service", "accept"),
    ("广州羊城食品股份有限公司", "product", "notice"),
    ("广州云山电子科技有限公司", "brand", "completed"),
    ("广州白云装饰工程有限公司", "engineering", "reject"),
]
NOTICE_ITEMS = [
    {"code": "evidence", "text": "请补充产品质量检验报告（近一年内有效）的扫描件。"},
    {"code": "materials", "text": "“主要目标、措施和经验”不足 2500 字，请按第 1—10 点充实。"},
]
NOTICE_REPLY = "已补充检验报告扫描件，并按十个方面充实了主要目标、措施和经验。"
REJECT_REASONS = (
    "建设单位（用户）满意度评价鉴定意见的签字人为申报单位员工，"
    "不符合《管理办法》第二十六条的要求，不予受理。"
)


def _applicant(application) -> User:
    return (
        application.organisation.memberships.filter(role=Role.ENTERPRISE_USER, is_active=True)
        .select_related("user")
        .first()
        .user
    )


@transaction.atomic
def load_review_demo() -> list[Application]:
    from manyi.reviews.formal import services as formal

    staff = User.objects.get(email=STAFF)
    done = []
    for name, category, what in PLAN:
        application = (
            Application.objects.filter(
                organisation__name=name, category=category, status=Status.RECOMMENDED
            )
            .order_by("-campaign__year")
            .first()
        )
        if application is None:
            continue
        if what == "accept":
            formal.accept_application(application=application, by=staff, opinion=ACCEPT_OPINION)
        elif what in ("notice", "completed"):
            formal.issue_deficiency_notice(
                application=application, by=staff, items=NOTICE_ITEMS, note=""
            )
            if what == "completed":
                application.refresh_from_db()
                formal.complete_notice(
                    application=application, by=_applicant(application), reply=NOTICE_REPLY
                )
        elif what == "reject":
            formal.reject_application(application=application, by=staff, opinion=REJECT_REASONS)
        done.append(application)
    return done


# This year's declaration: signed by five of the six demo experts, so staff can draw experts
# for this year's accepted applicants; expert@demo.manyi.cn is asked to sign on its dashboard.
SIGNED_THIS_YEAR = [f"expert{n}@demo.manyi.cn" for n in range(2, 7)]


@transaction.atomic
def sign_this_years_declarations() -> None:
    from manyi.campaigns.selectors import current_campaign
    from manyi.reviews.experts.services import sign_declaration

    campaign = current_campaign()
    if campaign is None:
        return
    for email in SIGNED_THIS_YEAR:
        expert = User.objects.filter(email=email).first()
        if expert is not None and not campaign.declarations.filter(expert=expert).exists():
            sign_declaration(expert=expert, campaign=campaign, conflicts=[], competitors="")


def load_demo(report) -> None:
    sign_this_years_declarations()
    for application in load_review_demo():
        application.refresh_from_db()
        report.lines.append(
            _("  审核与评审：%(org)s（%(status)s）  /reviews/%(pk)d/")
            % {
                "org": application.organisation.name,
                "status": application.get_status_display(),
                "pk": application.pk,
            }
        )
