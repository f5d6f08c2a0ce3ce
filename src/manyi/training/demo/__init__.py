"""The demo's training (Art. 14, 18): employees on file at the demo enterprise and two other
members of 天河区's agency, a class the agency held with attendance and scores (one failed,
one absent), an upcoming class taking enrolments, the demo enterprise's own internal class,
its yearly plan, and a minimum of training for one category of the current campaign.

Built through the services people use, so the activity log reads as it would. Written
directly, and only here: the dates of the classes that have taken place (the services
schedule classes in the future only; a demo made in a minute would have nothing held).
Idempotent: a class that exists (by organiser and title) and a 工号 already on file are left
as they are.
"""

import datetime as dt
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.utils import timezone

from manyi.accounts.models import Membership, Organisation, User
from manyi.accounts.roles import OrgKind, Role
from manyi.training import employees, enrolling, plans, services
from manyi.training.demo.content import (
    AGENCY,
    AGENCY_USER,
    EMPLOYEES,
    ENTERPRISE,
    ENTERPRISE_USER,
    HELD,
    HELD_RESULTS,
    INTERNAL,
    INTERNAL_RESULTS,
    MINIMUM_CATEGORY,
    MINIMUM_HOURS,
    MINIMUM_PEOPLE,
    PLAN_AIMS,
    PLAN_ITEMS,
    STAFF_USER,
    UPCOMING,
    UPCOMING_ENROLLED,
)
from manyi.training.models import Employee, TrainingClass, TrainingPlan
from manyi.training.results import Result, record_results

DEMO_ORDER = 82


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _enterprise_user(organisation) -> User:
    """The organisation's enterprise user (the applications demo made one for each applicant;
    made the same way when it is missing)."""
    membership = (
        organisation.memberships.filter(role=Role.ENTERPRISE_USER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    from manyi.accounts.demo import DEMO_PASSWORD

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


def _employees() -> dict[str, Employee]:
    """Every demo employee by 工号, added through the service when not yet on file."""
    found = {}
    for name, people in EMPLOYEES.items():
        organisation = Organisation.objects.get(kind=OrgKind.ENTERPRISE, name=name)
        by = _enterprise_user(organisation)
        for person, number, department, position, mobile in people:
            employee = Employee.objects.filter(
                organisation=organisation, employee_no=number
            ).first()
            if employee is None:
                employee = employees.add_employee(
                    by=by,
                    organisation=organisation,
                    name=person,
                    employee_no=number,
                    department=department,
                    position=position,
                    mobile=mobile,
                )
            found[number] = employee
    return found


def _schedule(by, organiser, title: str, **fields) -> TrainingClass | None:
    """The class scheduled through the service, or None when it exists already."""
    if TrainingClass.objects.filter(organiser=organiser, title=title).exists():
        return None
    return services.create_class(by=by, organiser=organiser, title=title, **fields)


def _enrol(training_class, people: list[Employee]) -> None:
    by_org: dict[int, list[Employee]] = {}
    for employee in people:
        by_org.setdefault(employee.organisation_id, []).append(employee)
    for group in by_org.values():
        enrolling.enrol(
            by=_enterprise_user(group[0].organisation),
            training_class=training_class,
            employees=group,
        )


def _took_place(training_class, *, starts: dt.datetime, hours: int) -> None:
    TrainingClass.objects.filter(pk=training_class.pk).update(
        starts_at=starts, ends_at=starts + dt.timedelta(hours=hours), enrol_closes_at=None
    )
    training_class.refresh_from_db()


def _results(by, training_class, scores: dict, people: dict[str, Employee]) -> None:
    by_employee = {e.employee_id: e for e in training_class.enrolments.all()}
    rows = []
    for number, score in scores.items():
        enrolment = by_employee[people[number].pk]
        rows.append(
            Result(enrolment.pk, score is not None, None if score is None else Decimal(score))
        )
    record_results(by=by, training_class=training_class, rows=rows)


def _class_fields(
    topic, teachers, description, place, capacity, starts, hours, *, lasts=None, **extra
) -> dict:
    """A class's fields; it lasts `lasts` hours from its start (its teaching hours, unless it
    spans two days)."""
    return {
        "topic": topic,
        "teachers": teachers,
        "description": description,
        "place": place,
        "capacity": capacity,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=lasts or hours),
        "hours": Decimal(hours),
        "enrol_closes_at": extra.get("enrol_closes_at"),
        "pass_score": Decimal("60"),
        "planned_activity": extra.get("planned_activity"),
    }


def _held_class(agency, staff, people, today) -> TrainingClass | None:
    activity = services.training_activities().order_by("starts_on").first()
    soon = _at(today + dt.timedelta(days=1), 9)
    training_class = _schedule(
        staff,
        agency,
        HELD,
        **_class_fields(
            "satisfaction_theory",
            "孙教授、吴研究员",
            "用户满意理论、GB/T 19010《质量管理 顾客满意 组织行为规范指南》解读，结业考核。",
            "天河区体育西路191号培训中心三楼",
            40,
            soon,
            16,
            lasts=32,
            planned_activity=activity,
        ),
    )
    if training_class is None:
        return None
    _enrol(training_class, [people[n] for n in HELD_RESULTS])
    _took_place(training_class, starts=_at(today - dt.timedelta(days=60), 9), hours=32)
    _results(staff, training_class, HELD_RESULTS, people)
    services.mark_held(by=staff, training_class=training_class)
    return training_class


def _upcoming_class(agency, staff, people, today) -> TrainingClass | None:
    starts = _at(today + dt.timedelta(days=18), 9)
    training_class = _schedule(
        staff,
        agency,
        UPCOMING,
        **_class_fields(
            "measurement",
            "何博士",
            "用户满意度测评模型、问卷设计、抽样与数据分析，结合企业自主测评实例。",
            "天河区体育西路191号培训中心三楼",
            30,
            starts,
            8,
            enrol_closes_at=starts - dt.timedelta(days=3),
        ),
    )
    if training_class is not None:
        _enrol(training_class, [people[n] for n in UPCOMING_ENROLLED])
    return training_class


def _internal_class(enterprise, people, today) -> TrainingClass | None:
    by = User.objects.get(email=ENTERPRISE_USER)
    training_class = _schedule(
        by,
        enterprise,
        INTERNAL,
        **_class_fields(
            "statistics",
            "梁志强",
            "排列图、因果图、控制图在质量问题分析中的应用。",
            "公司二楼培训室",
            20,
            _at(today + dt.timedelta(days=1), 14),
            4,
        ),
    )
    if training_class is None:
        return None
    _enrol(training_class, [people[n] for n in INTERNAL_RESULTS])
    _took_place(training_class, starts=_at(today - dt.timedelta(days=20), 14), hours=4)
    _results(by, training_class, INTERNAL_RESULTS, people)
    services.mark_held(by=by, training_class=training_class)
    return training_class


def _plan(enterprise, year: int) -> TrainingPlan:
    plan = TrainingPlan.objects.filter(organisation=enterprise, year=year).first()
    if plan is not None:
        return plan
    return plans.save_plan(
        by=User.objects.get(email=ENTERPRISE_USER),
        organisation=enterprise,
        year=year,
        aims=PLAN_AIMS,
        items=[
            {
                "topic": topic,
                "title": title,
                "month": month,
                "audience": audience,
                "people": n,
                "hours": Decimal(hours),
            }
            for topic, title, month, audience, n, hours in PLAN_ITEMS
        ],
    )


def _minimum() -> None:
    """One category of the current campaign asks for training (through the campaign's own
    door, so the change is logged as staff make it)."""
    from manyi.campaigns.selectors import current_campaign
    from manyi.campaigns.services import set_category

    campaign = current_campaign()
    setting = campaign.categories.filter(category=MINIMUM_CATEGORY).first() if campaign else None
    if setting is None or setting.min_training_hours or setting.min_trained_employees:
        return
    set_category(
        campaign_category=setting,
        by=User.objects.get(email=STAFF_USER),
        data={"min_training_hours": MINIMUM_HOURS, "min_trained_employees": MINIMUM_PEOPLE},
    )


def load_demo(report) -> None:
    """The demo's contribution to ``manage.py load_demo`` (see ``portal``)."""
    today = timezone.localdate()
    agency = Organisation.objects.get(kind=OrgKind.AGENCY, name=AGENCY)
    enterprise = Organisation.objects.get(kind=OrgKind.ENTERPRISE, name=ENTERPRISE)
    staff = User.objects.get(email=AGENCY_USER)
    people = _employees()
    _held_class(agency, staff, people, today)
    _upcoming_class(agency, staff, people, today)
    _internal_class(enterprise, people, today)
    plan = _plan(enterprise, today.year)
    _minimum()
    held = TrainingClass.objects.get(organiser=agency, title=HELD)
    upcoming = TrainingClass.objects.filter(organiser=agency, title=UPCOMING).first()
    report.lines.append(
        f"  培训：已结课 /training/classes/{held.pk}/"
        + (f"，报名中 /training/classes/{upcoming.pk}/" if upcoming else "")
        + f"，职工技术档案 /training/employees/{people['ZJ001'].pk}/"
        + f"，年度培训计划 /training/plans/{plan.pk}/"
    )
