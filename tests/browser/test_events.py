"""An exchange meeting with two places, clicked through in Chromium: three visitors register,
each in a browser of their own, and the third is put on the waiting list; the first cancels
from their own page and the third's place is confirmed; the organiser opens the check-in
link a registrant's QR code carries and checks them in."""

import re

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.common.models import OutboxMessage
from manyi.events import tokens
from manyi.events.models import Registration, RegistrationStatus
from tests.conftest import World
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def visitor_registers(browser, live_server, event, name: str, email: str, csp_violations):
    """A visitor opens the event page in a browser of their own and registers; returns their
    page, left on their own registration page."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name=re.compile(event.title)).click()
    page.get_by_label("姓名").fill(name)
    page.get_by_label("单位").fill("广州测试有限公司")
    page.get_by_label("手机").fill("13800138000")
    page.get_by_label("电子邮箱").fill(email)
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_role("heading", name="我的报名")).to_be_visible()
    return page


def token_of(page) -> str:
    return re.search(r"/events/r/([^/]+)/", page.url).group(1)


def test_an_event_fills_takes_a_waiting_list_moves_it_up_and_checks_in(
    page, browser, live_server, login_as, cast, csp_violations
):
    event = make_event(cast, title="冬季用户满意经验交流会", capacity=2)

    first = visitor_registers(browser, live_server, event, "甲", "a@example.cn", csp_violations)
    expect(first.locator("[data-registration-status]")).to_have_text("报名成功")
    expect(first.locator("img[data-qr]")).to_be_visible()
    second = visitor_registers(browser, live_server, event, "乙", "b@example.cn", csp_violations)
    expect(second.locator("[data-registration-status]")).to_have_text("报名成功")

    third = visitor_registers(browser, live_server, event, "丙", "c@example.cn", csp_violations)
    expect(third.get_by_text("名额已满，您已进入候补名单（第 1 位）")).to_be_visible()
    expect(third.locator("[data-registration-status]")).to_have_text("候补")
    expect(third.locator("[data-position]")).to_have_text("（候补第 1 位）")
    expect(third.locator("img[data-qr]")).to_have_count(0)

    # The first visitor gives up their place from their own page.
    first.get_by_role("button", name="取消报名").click()
    expect(first.get_by_text("已取消报名。")).to_be_visible()
    expect(first.locator("[data-registration-status]")).to_have_text("已取消")

    third.reload()
    expect(third.locator("[data-registration-status]")).to_have_text("报名成功")
    expect(third.locator("img[data-qr]")).to_be_visible()
    assert OutboxMessage.objects.filter(to="c@example.cn", template="events/promoted").exists()

    # The organiser scans the second visitor's QR code: it opens the check-in page.
    login_as(cast.users[Role.AGENCY_STAFF])
    code = tokens.checkin_code(token_of(second))
    page.goto(f"{live_server.url}/events/{event.pk}/checkin/{code}/")
    expect(page.get_by_role("heading", name="乙")).to_be_visible()
    page.get_by_role("button", name="签到").click()
    expect(page.get_by_text("乙 已签到")).to_be_visible()
    expect(page.locator("[data-refusal]")).to_contain_text("已签到，签到时间")
    arrived = Registration.objects.get(email="b@example.cn")
    assert arrived.checked_in_at is not None
    assert arrived.status == RegistrationStatus.CONFIRMED

    page.goto(f"{live_server.url}/events/manage/{event.pk}/checkin/")
    expect(page.locator("[data-count='checked_in']")).to_have_text("1")
    for visitor in (first, second, third):
        visitor.context.close()
    assert csp_violations == []


def test_an_organiser_creates_a_benchmark_visit_finding_the_host_by_name(
    page, live_server, login_as, cast, csp_violations
):
    login_as(cast.users[Role.AGENCY_STAFF])
    page.goto(f"{live_server.url}/events/")
    page.get_by_role("link", name="管理本单位的活动").click()
    page.get_by_role("link", name="新建活动").click()
    page.get_by_label("活动类型").select_option("benchmark")
    page.get_by_label("活动名称", exact=True).fill("走进标杆企业现场研修")
    page.get_by_label("活动介绍", exact=True).fill("现场学习标杆企业的做法。")
    for way in ("企业现场参观交流", "主题培训", "分组讨论", "答疑研讨"):
        page.get_by_label(way).check()
    page.get_by_label("按名称查找企业").fill("珠江")
    expect(page.locator("#id_host option", has_text=cast.enterprise.name)).to_have_count(1)
    page.get_by_label("承办（标杆）企业").select_option(label=cast.enterprise.name)
    page.get_by_label("开始时间").fill("2030-05-20T09:00")
    page.get_by_label("结束时间").fill("2030-05-20T16:00")
    page.get_by_label("报名截止时间").fill("2030-05-18T18:00")
    page.get_by_label("地点").fill("白云区太和镇")
    page.get_by_label("名额").fill("25")
    page.get_by_role("button", name="创建活动").click()
    expect(page.get_by_text("活动已创建（草稿）")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.locator("[data-status]")).to_have_text("已发布")

    page.get_by_role("link", name="公开页面").click()
    expect(page.locator("[data-field='host']")).to_have_text(cast.enterprise.name)
    expect(page.locator("[data-field='formats']")).to_have_text(
        "主题培训、企业现场参观交流、分组讨论、答疑研讨"
    )
    assert csp_violations == []
