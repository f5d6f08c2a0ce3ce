"""The demo's events (Art. 13, 14, 17, 20):

- 天河区质量技术协会's winter experience-exchange meeting, a few weeks ahead, with four
  places, all taken, and two people on the waiting list;
- the association's benchmark-learning visit hosted by the demo enterprise (site visit,
  talks, group discussion, Q&A), registration open, the enterprise's own user registered;
- last year's promotion conference, held: registrations, check-ins, the programme as a PDF
  material and three practice shares.

Built through the services a person uses (create, publish, register, check in, mark held,
add material and shares), so the activity log reads as it would. Written directly, and only
here: the conference's dates (a demo made today cannot register people for last year), moved
back after its registrations and check-ins. A planned activity of the programme's demo plan is
linked when it exists. Idempotent: an event whose title exists is left as it is.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import Organisation, User
from manyi.accounts.roles import OrgKind
from manyi.common.pdf import render_pdf
from manyi.events import selectors
from manyi.events.models import Event, EventFormat, EventKind, Registration
from manyi.events.services import after_event, organising, registration

DEMO_ORDER = 84

ADMIN = "admin@demo.manyi.cn"
AGENCY_STAFF = "agency@demo.manyi.cn"
ENTERPRISE_USER = "enterprise@demo.manyi.cn"
HOST = "广州珠江家电制造有限公司"
AGENCY = "广州市天河区质量技术协会"
ASSOCIATION = "广州市质量协会"

EXCHANGE = "2026年冬季天河区用户满意经验交流会"
BENCHMARK = "走进标杆：广州珠江家电制造有限公司现场研修"
CONFERENCE = "2025年广州市实施用户满意工程推进大会"

# name, unit, position, mobile
PEOPLE = [
    ("林晓东", "广州天河物业管理有限公司", "品质部经理", "13800138101"),
    ("郭美玲", "广州岭南酒店管理有限公司", "客户关系主管", "13800138102"),
    ("何志强", "广州番禺燃气有限公司", "客服中心主任", "13800138103"),
    ("苏婉清", "广州花城通信服务有限公司", "服务质量经理", "13800138104"),
    ("邓俊杰", "广州增城水务服务有限公司", "营业所所长", "13800138105"),
    ("叶嘉欣", "广州海珠医疗器械有限公司", "质量负责人", "13800138106"),
    ("谢文博", "广州白云装饰工程有限公司", "项目总监", "13800138107"),
    ("黎家豪", "广州天河物业管理有限公司", "客服主管", "13800138108"),
]
AGENDA_EXCHANGE = """14:00 签到
14:30 天河区用户满意工程推进情况通报
15:00 企业经验分享：物业服务投诉“日清日结”
15:40 分组讨论：如何用满意度测评结果推动改进
16:40 答疑与小结"""
AGENDA_BENCHMARK = """09:00 集合，乘车前往广州珠江家电制造有限公司
09:40 参观生产线与售后服务中心
11:00 企业介绍：以用户满意为中心的质量管理
13:30 分组讨论：售后服务响应与投诉处理
15:00 答疑研讨，合影"""
AGENDA_CONFERENCE = """09:00 开幕，市质量协会致辞
09:20 2025年用户满意工程工作报告
10:00 颁发“用户满意”称号证书
10:40 经验分享：三家获得称号单位
11:40 部署2026年度推进工作"""
SHARES = [
    # organisation name (registered when found), speaker, title, summary
    (
        HOST,
        "梁小姐",
        "把售后服务响应时间写进每个岗位的考核",
        "从用户投诉数据出发，将上门响应时限分解到派单、备件和维修三个环节，每月通报。",
    ),
    (
        "广州天河物业管理有限公司",
        "林晓东",
        "物业服务投诉“日清日结”",
        "建立投诉当日受理、当日回复机制，业主满意度连续两年提升。",
    ),
    (
        "广州市越秀区某社区卫生服务中心",
        "陈医生",
        "社区医疗服务的满意度季度测评",
        "每季度请第三方电话回访就诊居民，按指标排名改进预约和候诊流程。",
    ),
]


def _conference_day() -> dt.date:
    """When last year's conference took place."""
    return dt.date(timezone.localdate().year - 1, 11, 20)


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _planned(kind: str, day: dt.date):
    """The programme demo's planned activity of this kind whose dates cover `day`; for the
    conference (one a year), the year's. None when the programme demo made none."""
    activities = selectors.planned_activities().filter(
        kind=selectors.ACTIVITY_KIND[kind], plan__year=day.year
    )
    covering = activities.filter(starts_on__lte=day, ends_on__gte=day).first()
    if covering is None and kind == EventKind.CONFERENCE:
        return activities.first()
    return covering


def _event(by, organiser, *, kind, title, starts, hours, capacity, held_on=None, **fields) -> Event:
    event = organising.create_event(
        by=by,
        organiser=organiser,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=hours),
        registration_closes_at=starts - dt.timedelta(days=2),
        capacity=capacity,
        # The conference is moved back a year after its registrations (see `_conference`).
        planned_activity=_planned(kind, held_on or timezone.localtime(starts).date()),
        **fields,
    )
    return organising.publish_event(event=event, by=by)


def _register(event, people, *, by=None) -> list[Registration]:
    made = []
    for i, (name, unit, position, mobile) in enumerate(people):
        made.append(
            registration.register(
                event=event,
                by=by,
                name=name,
                organisation_name=unit,
                position=position,
                mobile=mobile,
                email=by.email if by else f"event{event.pk}-{i + 1}@demo.manyi.cn",
                ip="demo",
            )[0]
        )
    return made


def _exchange(agency_staff, agency) -> Event:
    start = _at(timezone.localdate() + dt.timedelta(days=24), 14)
    event = _event(
        agency_staff,
        agency,
        kind=EventKind.EXCHANGE,
        title=EXCHANGE,
        starts=start,
        title_en="Tianhe District customer satisfaction experience exchange, winter 2026",
        summary="天河区推进机构组织会员企业交流实施用户满意工程的做法：投诉处理、满意度测评结果的使用和持续改进。",
        summary_en="Member enterprises of the Tianhe agency share how they handle complaints "
        "and use satisfaction measurement to improve.",
        formats=[EventFormat.TALK, EventFormat.GROUP, EventFormat.QA],
        agenda=AGENDA_EXCHANGE,
        host=None,
        place="天河区体育西路101号天河区质量技术协会三楼会议室",
        hours=3,
        capacity=4,
    )
    # Four take the places, two more wait.
    _register(event, PEOPLE[:6])
    return event


def _benchmark(admin, association, host, enterprise_user) -> Event:
    start = _at(timezone.localdate() + dt.timedelta(days=38), 9)
    event = _event(
        admin,
        association,
        kind=EventKind.BENCHMARK,
        title=BENCHMARK,
        starts=start,
        title_en="Benchmark learning on site: Guangzhou Zhujiang Home Appliances",
        summary="组织会员单位走进标杆企业，现场学习以用户满意为中心的质量管理和售后服务做法（第十七条）。",
        summary_en="",
        formats=[EventFormat.SITE_VISIT, EventFormat.TALK, EventFormat.GROUP, EventFormat.QA],
        agenda=AGENDA_BENCHMARK,
        host=host,
        place=host.address or "广州市白云区太和镇珠江家电工业园",
        hours=7,
        capacity=30,
    )
    _register(event, PEOPLE[6:8])
    if enterprise_user is not None:
        _register(event, [("梁小姐", HOST, "质量部经理", "13900139000")], by=enterprise_user)
    return event


def _programme_pdf(event) -> bytes:
    return render_pdf("events/demo_programme_pdf.html", {"event": event})


def _conference(admin, association) -> Event:
    # Registered and checked in while the event was ahead; its dates are then moved to last
    # November, when it took place.
    start = _at(timezone.localdate() + dt.timedelta(days=5), 9)
    event = _event(
        admin,
        association,
        kind=EventKind.CONFERENCE,
        title=CONFERENCE,
        starts=start,
        title_en="Guangzhou Customer Satisfaction Programme conference 2025",
        summary="总结2025年全市实施用户满意工程工作，颁发“用户满意”称号证书，交流先进经验，部署下一年度工作。",
        summary_en="The year's review, the award of the titles, good practices and next "
        "year's work.",
        formats=[EventFormat.TALK, EventFormat.METHOD],
        agenda=AGENDA_CONFERENCE,
        host=None,
        place="广州市越秀区沿江中路313号康富来大厦会议中心",
        hours=3,
        capacity=200,
        held_on=_conference_day(),
    )
    registered = _register(event, PEOPLE)
    for person in registered[:6]:
        registration.check_in(registration=person, by=admin)
    held_on = _conference_day()
    shift = _at(held_on, 9) - event.starts_at
    Event.objects.filter(pk=event.pk).update(
        starts_at=event.starts_at + shift,
        ends_at=event.ends_at + shift,
        registration_closes_at=event.registration_closes_at + shift,
        published_at=event.published_at + shift - dt.timedelta(days=30),
    )
    for person in registered:
        Registration.objects.filter(pk=person.pk).update(
            created_at=person.created_at + shift - dt.timedelta(days=10),
            checked_in_at=(person.checked_in_at + shift) if person.checked_in_at else None,
        )
    event.refresh_from_db()
    organising.mark_event_held(event=event, by=admin)
    after_event.add_material(
        event=event,
        by=admin,
        title="大会议程",
        upload=SimpleUploadedFile(
            "2025年推进大会议程.pdf", _programme_pdf(event), content_type="application/pdf"
        ),
    )
    for name, speaker, title, summary in SHARES:
        organisation = Organisation.objects.filter(kind=OrgKind.ENTERPRISE, name=name).first()
        after_event.add_share(
            event=event,
            by=admin,
            organisation=organisation,
            organisation_name="" if organisation else name,
            speaker=speaker,
            title=title,
            summary=summary,
        )
    return event


def load_demo(report) -> None:
    admin = User.objects.filter(email=ADMIN).first()
    agency_staff = User.objects.filter(email=AGENCY_STAFF).first()
    association = Organisation.objects.filter(kind=OrgKind.ASSOCIATION, name=ASSOCIATION).first()
    agency = Organisation.objects.filter(kind=OrgKind.AGENCY, name=AGENCY).first()
    host = Organisation.objects.filter(kind=OrgKind.ENTERPRISE, name=HOST).first()
    if None in (admin, agency_staff, association, agency, host):
        return
    existing = set(
        Event.objects.filter(title__in=[EXCHANGE, BENCHMARK, CONFERENCE]).values_list(
            "title", flat=True
        )
    )
    made = []
    if EXCHANGE not in existing:
        made.append(_exchange(agency_staff, agency))
    if BENCHMARK not in existing:
        enterprise_user = User.objects.filter(email=ENTERPRISE_USER).first()
        made.append(_benchmark(admin, association, host, enterprise_user))
    if CONFERENCE not in existing:
        made.append(_conference(admin, association))
    for event in made:
        report.lines.append(
            _("  交流活动：%(title)s  /events/%(pk)d/") % {"title": event.title, "pk": event.pk}
        )
