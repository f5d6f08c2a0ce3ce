"""The third-party survey clicked through in Chromium, in Chinese, by each role that does a
step: staff assign and draw and invite; a customer answers on a phone; the firm's manager rejects
a flagged answer; staff close the fieldwork and the application shows its index."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.fieldwork.models import ContactStatus, QcStatus, Response, Survey, SurveyStatus
from manyi.fieldwork.responses import record_response
from manyi.fieldwork.web.services import issue_link
from tests.applications.helpers import add_customers, make_application
from tests.conftest import World
from tests.fieldwork.factories import answers_for, make_questionnaire, make_survey
from tests.fieldwork.results_helpers import answered_survey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_staff_assign_draw_and_invite(page, live_server, login_as, cast, csp_violations):
    staff = cast.users[Role.COMMITTEE_STAFF]
    make_questionnaire(staff, category="brand")
    application = make_application(cast, "brand", status="accepted")
    customers = add_customers(application, n=80)
    customers.customers.filter(row__lt=40).update(email="kehu@example.cn")
    login_as(staff)
    page.on("dialog", lambda dialog: dialog.accept())  # "are you sure?" before sending

    page.goto(f"{live_server.url}/fieldwork/")
    page.get_by_role("link", name="委托调查").click()
    page.get_by_label(str(application.organisation)).check()
    page.get_by_label("调查机构").select_option(label=str(cast.survey_firm))
    page.get_by_role("button", name="委托调查").click()
    expect(page.get_by_text("已委托").first).to_be_visible()
    survey = Survey.objects.get(application=application)

    page.goto(f"{live_server.url}/fieldwork/{survey.pk}/")
    page.get_by_role("button", name="抽取样本").click()
    expect(page.locator("[data-survey-status]")).to_have_text("已抽样")
    survey.refresh_from_db()
    assert survey.sample_size > 0 and survey.seed is not None
    page.get_by_role("button", name="复核抽样").click()
    expect(page.get_by_text(re.compile("复核通过"))).to_be_visible()

    page.get_by_role("button", name="开始实施调查").click()
    expect(page.locator("[data-survey-status]")).to_have_text("调查中")
    page.get_by_role("button", name=re.compile("发送邀请")).click()  # confirmed in the dialog
    expect(page.get_by_text(re.compile("正在发送"))).to_be_visible()
    invited = survey.contacts.filter(status=ContactStatus.INVITED).count()
    assert invited > 0
    expect(page.get_by_role("cell", name="已发邀请").first).to_be_visible()
    assert not csp_violations


def test_a_customer_answers_on_a_phone(browser, live_server, cast):
    survey = make_survey(cast)
    contact = survey.contacts.filter(is_reserve=False).first()
    token = issue_link(contact=contact)
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{token}/")
    expect(page.get_by_text(str(survey.application.organisation)).first).to_be_visible()
    # The page fits the phone: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for question in survey.questionnaire.questions:
        block = page.locator(f"[data-code='{question['code']}']")
        if question["kind"] == "score":
            block.locator("label.btn", has_text=re.compile(r"^8$")).click()
        elif question["kind"] == "yes_no":
            block.get_by_text(
                "否" if question["purpose"] == "complaint" else "是", exact=True
            ).click()
    # Answers save as the respondent goes.
    expect(page.get_by_text("已自动保存").first).to_be_visible()
    contact.refresh_from_db()
    assert contact.draft_answers
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_text("问卷已提交，感谢您的参与！")).to_be_visible()
    response = Response.objects.get(contact=contact)
    assert response.channel == "web"
    # The link works once.
    page.goto(f"{live_server.url}/s/{token}/")
    expect(page.get_by_text(re.compile("已经提交|已提交"))).to_be_visible()
    assert Response.objects.filter(contact=contact).count() == 1
    context.close()


def test_the_firm_manager_rejects_a_flagged_answer(page, live_server, login_as, cast):
    survey = make_survey(cast)
    contact = survey.contacts.filter(is_reserve=False).first()
    flagged = record_response(
        contact=contact,
        answers=answers_for(survey.questionnaire, score=7, vary=False),
        channel="phone",
        started_at=None,
        by=cast.users[Role.SURVEYOR],
    )
    assert flagged.qc_status == QcStatus.FLAGGED
    login_as(cast.users[Role.SURVEY_MANAGER])
    page.goto(f"{live_server.url}/fieldwork/qc/")
    row = page.locator("tr", has_text=str(survey.application.organisation))
    row.get_by_role("link", name="查看").click()
    expect(page.get_by_text("所有评分完全相同").first).to_be_visible()
    page.get_by_label(re.compile("剔除")).check()
    page.get_by_role("button", name="提交复核意见").click()
    expect(page.get_by_text("剔除回答时请写明原因")).to_be_visible()
    page.get_by_label(re.compile("剔除")).check()
    page.get_by_label("原因").fill("回访核实受访者未认真作答")
    page.get_by_role("button", name="提交复核意见").click()
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.REJECTED
    assert flagged.qc_reason == "回访核实受访者未认真作答"


def test_staff_close_the_fieldwork_and_the_application_shows_its_index(
    page, live_server, login_as, cast
):
    survey = answered_survey(cast, score=9, n=40)
    staff = cast.users[Role.COMMITTEE_STAFF]
    login_as(staff)
    page.on("dialog", lambda dialog: dialog.accept())  # closing and releasing ask first
    page.goto(f"{live_server.url}/fieldwork/{survey.pk}/")
    page.get_by_role("button", name="结束调查并计算指数").click()
    expect(page.locator("[data-survey-status]")).to_have_text("调查结束")
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED and survey.run.status == "done"
    page.reload()
    expect(page.get_by_text("达到满意度门槛").first).to_be_visible()
    page.get_by_role("button", name="向申报单位发布结果").click()
    expect(page.locator("[data-survey-status]")).to_have_text("结果已发布")

    # The applicant now sees its index against the threshold on its application.
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/applications/{survey.application.pk}/")
    expect(page.get_by_text("用户满意度指数").first).to_be_visible()
    expect(page.get_by_text("达到满意度门槛").first).to_be_visible()
    expect(page.get_by_text("投诉率").first).to_be_visible()


def test_an_interviewer_works_the_queue(page, live_server, login_as, cast, csp_violations):
    survey = make_survey(cast)
    surveyor = cast.users[Role.SURVEYOR]
    first, second = survey.contacts.filter(interviewer=surveyor).order_by("position")[:2]
    login_as(surveyor)
    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("button", name="调查与测评").click()
    page.get_by_role("link", name="电话访问").click()
    # No full number in the queue.
    expect(page.get_by_role("cell", name=f"{first.customer.name} · ").first).to_be_visible()
    assert first.customer.phone not in page.content()

    # The first customer is busy: a callback tomorrow.
    page.get_by_role("button", name="拨打下一个").click()
    expect(page.locator("[data-phone]")).to_have_text(first.customer.phone)
    page.get_by_role("radio", name="预约回拨").check()
    page.get_by_label("预约回拨时间").fill(
        (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    )
    page.get_by_role("button", name="记录通话结果").click()
    expect(page.get_by_text("已记录通话结果")).to_be_visible()
    first.refresh_from_db()
    assert first.status == ContactStatus.CALLBACK

    # The next one answers the questionnaire on the phone.
    page.get_by_role("button", name="拨打下一个").click()
    expect(page.locator("[data-phone]")).to_have_text(second.customer.phone)
    for question in survey.questionnaire.questions:
        block = page.locator(f"[data-code='{question['code']}']")
        if question["kind"] == "score":
            block.locator("label.btn", has_text=re.compile(r"^9$")).click()
        elif question["kind"] == "yes_no":
            block.get_by_text(
                "否" if question["purpose"] == "complaint" else "是", exact=True
            ).click()
    page.get_by_role("button", name="完成访问并保存问卷").click()
    expect(page.get_by_text("访问已完成，问卷已保存")).to_be_visible()
    response = Response.objects.get(contact=second)
    assert response.channel == "phone" and response.interviewer == surveyor
    assert not csp_violations
