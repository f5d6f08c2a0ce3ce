"""The demo's diagnostic visits (Art. 15): the demo enterprise asked its district agency for a
diagnosis in the autumn; the agency formed a group (its own expert 郑经理 leads; the agency has
too few experts of its own, so 孙教授 joins from the user committee's pool), the group visited
and reported, and the enterprise answered with a plan of three actions, one done. A member of
the same agency waits for its request to be accepted, and another's visit is coming up (the
leader's report to write).

Built through the services a person uses, so the activity log and the outbox read as they
would. Written directly, and only here: the dates (a demo made in a minute would have every
step today), after the services ran. Idempotent: a diagnosis that exists is left as it is.
"""

import datetime as dt

from allauth.account.models import EmailAddress
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.demo import DEMO_PASSWORD
from manyi.accounts.models import Membership, Organisation, User
from manyi.accounts.roles import OrgKind, Role
from manyi.diagnostics import selectors, services
from manyi.diagnostics.models import Diagnosis, DiagnosticReport
from manyi.selfmeasure import plans
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan

DEMO_ORDER = 86

AGENCY = "广州市天河区质量技术协会"
STAFF = "agency@demo.manyi.cn"
ENTERPRISE = "广州珠江家电制造有限公司"
ENTERPRISE_USER = "enterprise@demo.manyi.cn"
# The agency's own expert leads; the committee's 孙教授 joins when the agency has too few.
LEADER = "expert4@demo.manyi.cn"
MEMBER = "expert@demo.manyi.cn"
WAITING = "广州羊城食品股份有限公司"
COMING = "广州天河物业管理有限公司"

NEEDS = (
    "近两年售后投诉量上升，希望专家诊断投诉处理流程和售后服务体系，并指导开展顾客满意度自主测评。"
)
REPORT = {
    "summary": (
        "企业重视用户满意工作，已建立顾客满意度自主测评制度，测评结果用于年度质量目标。\n"
        "售后服务响应和投诉处理是主要短板：投诉处理缺少时限和闭环，回访记录不完整，"
        "一线人员的服务规范培训不足。"
    ),
    "findings": [
        "投诉处理没有明确时限，部分投诉超过 15 天未答复",
        "售后回访记录不完整，无法追溯顾客意见的处理结果",
        "一线服务人员未接受系统的服务规范培训",
    ],
    "recommendations": [
        ("建立投诉 48 小时响应、15 天闭环的处理制度，并按月通报", "high"),
        ("建立售后回访台账，每单回访并记录顾客意见和处理结果", "high"),
        ("制定一线服务人员年度培训计划，纳入职工技术档案", "medium"),
    ],
}
REPLY = "感谢诊断专家小组的指导。我司同意报告的评价和建议，已制定改进计划，由质量管理部牵头落实。"
ACTIONS = [
    # (recommendation, description, owner, days after the answer, done note or "")
    ("R1", "修订《顾客投诉处理办法》，明确 48 小时响应、15 天闭环", "质量管理部", 30, "已发布施行"),
    ("R2", "上线售后回访台账，客服中心每单回访", "客户服务中心", 60, ""),
    ("R3", "制定2027年一线服务人员培训计划", "人力资源部", 90, ""),
]


def _user(email) -> User | None:
    return User.objects.filter(email=email).first()


def _organisation(kind, name) -> Organisation | None:
    return Organisation.objects.filter(kind=kind, name=name).first()


def _enterprise_user(organisation) -> User:
    """One of the enterprise's users: the one the applications demo made for an applicant, or
    one made the same way (same address, so a later run of that demo finds it)."""
    membership = (
        Membership.objects.filter(
            organisation=organisation, role=Role.ENTERPRISE_USER, is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    email = f"org{organisation.pk}@demo.manyi.cn"
    user = User.objects.filter(email=email).first() or User.objects.create_user(
        email, DEMO_PASSWORD, full_name=organisation.contact_person or "联系人", is_demo=True
    )
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=Role.ENTERPRISE_USER,
        defaults={"is_manager": True},
    )
    return user


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _ask(enterprise, agency, by, needs, contact) -> Diagnosis | None:
    if agency not in selectors.agencies_to_ask(enterprise):
        return None
    return services.request_diagnosis(
        enterprise=enterprise,
        agency=agency,
        by=by,
        needs=needs,
        preferred_dates=_("工作日上午"),
        contact_name=contact,
        contact_mobile=enterprise.contact_mobile or "13800138000",
    )


def _group(diagnosis, staff) -> bool:
    """The leader, and the committee's expert or else the first other candidate free of
    conflict."""
    leader, member = _user(LEADER), _user(MEMBER)
    found, _opened = selectors.candidates(diagnosis)
    free = [c.expert for c in found if not c.conflict]
    if leader not in free:
        return False
    if member not in free:
        member = next((e for e in free if e != leader), None)
    if member is None:
        return False
    services.set_group(diagnosis=diagnosis, experts=[leader, member], leader=leader, by=staff)
    return True


def _answered(enterprise, agency, staff, user) -> Diagnosis | None:
    today = timezone.localdate()
    visit = today - dt.timedelta(days=40)
    diagnosis = _ask(enterprise, agency, user, NEEDS, enterprise.contact_person or "梁经理")
    if diagnosis is None:
        return None
    services.accept_diagnosis(diagnosis=diagnosis, by=staff)
    if not _group(diagnosis, staff):
        return diagnosis
    services.schedule_visit(
        diagnosis=diagnosis,
        by=staff,
        starts_at=timezone.now() + dt.timedelta(days=1),
        place=enterprise.address or _("企业会议室"),
    )
    # The visit took place: its time moves back before the leader reports.
    Diagnosis.objects.filter(pk=diagnosis.pk).update(visit_starts_at=_at(visit, 9))
    diagnosis.visit_starts_at = _at(visit, 9)
    leader = _user(LEADER)
    services.save_report(diagnosis=diagnosis, by=leader, **REPORT)
    services.submit_report(diagnosis=diagnosis, by=leader)
    plan = services.answer_diagnosis(
        diagnosis=diagnosis,
        by=user,
        reply=REPLY,
        actions=[
            {
                "driver": key,
                "description": text,
                "owner": owner,
                "due_on": today + dt.timedelta(days=d),
            }
            for key, text, owner, d, _note in ACTIONS
        ],
    )
    done = {text: note for _key, text, _owner, _d, note in ACTIONS if note}
    for action in plan.actions.all():
        if action.description in done:
            plans.complete_action(action=action, by=user, note=done[action.description])
    _dated(diagnosis, plan, visit)
    return diagnosis


def _dated(diagnosis, plan, visit: dt.date) -> None:
    """The steps spread over the autumn as they happened (the services stamped today)."""
    Diagnosis.objects.filter(pk=diagnosis.pk).update(
        requested_at=_at(visit - dt.timedelta(days=21)),
        decided_at=_at(visit - dt.timedelta(days=19)),
        answered_at=_at(visit + dt.timedelta(days=12)),
    )
    DiagnosticReport.objects.filter(diagnosis=diagnosis).update(
        submitted_at=_at(visit + dt.timedelta(days=5), 16)
    )
    ImprovementPlan.objects.filter(pk=plan.pk).update(created_at=_at(visit + dt.timedelta(days=12)))
    ImprovementAction.objects.filter(plan=plan, done_at__isnull=False).update(
        done_at=_at(visit + dt.timedelta(days=30), 15)
    )


def _coming(enterprise, agency, staff) -> Diagnosis | None:
    user = _enterprise_user(enterprise)
    diagnosis = _ask(
        enterprise,
        agency,
        user,
        _("业主对物业报修响应不满意，希望诊断报修服务流程。"),
        enterprise.contact_person or _("联系人"),
    )
    if diagnosis is None:
        return None
    services.accept_diagnosis(diagnosis=diagnosis, by=staff)
    if _group(diagnosis, staff):
        services.schedule_visit(
            diagnosis=diagnosis,
            by=staff,
            starts_at=_at(timezone.localdate() + dt.timedelta(days=6), 9),
            place=enterprise.address or _("企业会议室"),
        )
    return diagnosis


def _waiting(enterprise, agency) -> Diagnosis | None:
    user = _enterprise_user(enterprise)
    return _ask(
        enterprise,
        agency,
        user,
        _("希望专家指导建立顾客满意度测评制度，并诊断食品配送环节的顾客投诉。"),
        enterprise.contact_person or _("联系人"),
    )


def load_diagnoses() -> dict:
    """The demo's diagnoses, made once; returns them by enterprise name (None when the demo's
    people or the agency's standing do not allow one)."""
    agency = _organisation(OrgKind.AGENCY, AGENCY)
    staff, user = _user(STAFF), _user(ENTERPRISE_USER)
    if agency is None or staff is None:
        return {}
    made = {}
    for name, make in (
        (ENTERPRISE, lambda e: _answered(e, agency, staff, user) if user else None),
        (COMING, lambda e: _coming(e, agency, staff)),
        (WAITING, lambda e: _waiting(e, agency)),
    ):
        enterprise = _organisation(OrgKind.ENTERPRISE, name)
        if enterprise is None:
            continue
        existing = Diagnosis.objects.filter(enterprise=enterprise, agency=agency).first()
        made[name] = existing or make(enterprise)
    return made


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo``."""
    made = load_diagnoses()
    answered = made.get(ENTERPRISE)
    if answered is not None:
        report.lines.append(
            _("  诊断活动：/diagnostics/（企业 %(e)s，推进机构 %(a)s，诊断组长 %(l)s）")
            % {"e": ENTERPRISE_USER, "a": STAFF, "l": LEADER}
        )
        report.lines.append(_("  已答复的诊断报告：/diagnostics/%(pk)d/") % {"pk": answered.pk})
