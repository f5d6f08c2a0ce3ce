"""An enterprise's own measurement clicked through in Chromium: it starts a survey, customers
answer through the public link (each in their own browser), it closes the survey, the run
finishes, it makes a plan from the importance–performance map, ticks an action done, and the
next measurement shows whether the targeted driver moved."""

import re

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.fieldwork.models import ItemKind
from manyi.selfmeasure import services
from manyi.selfmeasure.models import ImprovementAction, OwnSurvey
from manyi.surveys.models import RunStatus
from tests.conftest import World
from tests.selfmeasure.factories import fill, own_survey, published_questionnaire, simulated_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def answer_in_browser(browser, link: str, questionnaire, answers: dict, csp_violations: list):
    """A customer opens the link in a browser of their own and answers every question."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 420, "height": 900})
    page = context.new_page()
    page.on(
        "console",
        lambda msg: (
            csp_violations.append(msg.text) if "Content Security Policy" in msg.text else None
        ),
    )
    page.goto(link)
    for q in questionnaire.questions:
        value = answers.get(q["code"])
        if q["kind"] == ItemKind.SCORE:
            page.locator(f"label[for='q_{q['code']}-{value}']").click()
        elif q["kind"] == ItemKind.YES_NO:
            page.locator(f"label[for='q_{q['code']}-{'yes' if value else 'no'}']").click()
    page.get_by_role("button", name="提交问卷").click()
    expect(page.get_by_text("问卷已提交，感谢您的参与！")).to_be_visible()
    # The same browser cannot answer twice.
    page.goto(link)
    expect(page.get_by_role("heading", name="问卷已经提交")).to_be_visible()
    context.close()


def test_own_survey_to_improvement_plan_across_two_measurements(
    page, browser, live_server, login_as, cast, csp_violations
):
    user = cast.users[Role.ENTERPRISE_USER]
    questionnaire = published_questionnaire(cast)
    login_as(user)

    page.goto(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="我的测评").click()
    page.get_by_role("link", name="发起自主调查").click()
    page.get_by_label("调查名称").fill("2026年一季度门店顾客满意度")
    page.get_by_label("目标样本量").fill("40")
    page.get_by_role("button", name="创建调查").click()
    expect(page.get_by_text("自主调查已创建")).to_be_visible()
    survey = OwnSurvey.objects.get()
    link = page.locator("[data-link]").inner_text()
    assert link == f"{live_server.url}/q/{survey.token}/"
    expect(page.locator("img[data-qr]")).to_be_visible()

    # Two customers answer through the page; the rest arrive through the service for speed.
    for answers in simulated_answers(questionnaire, n=2, seed=71):
        answer_in_browser(browser, link, questionnaire, answers, csp_violations)
    fill(survey, n=40, seed=72)

    page.reload()
    expect(page.locator("[data-count='responses']")).to_have_text("42")
    # Answered in seconds: both page answers are flagged too fast; the first is excluded.
    expect(page.locator("[data-count='flagged']")).to_have_text("2")
    page.locator("[data-action='exclude']").first.click()
    expect(page.get_by_text("已剔除该回答")).to_be_visible()
    expect(page.locator("[data-count='usable']")).to_have_text("41")

    page.get_by_role("button", name="结束调查并计算指数").click()
    expect(page.get_by_text("调查已结束，正在计算满意度指数")).to_be_visible()
    survey.refresh_from_db()
    assert survey.run.status == RunStatus.DONE
    assert survey.dataset.n_rows == 41
    page.get_by_role("link", name="查看测评报告").click()
    expect(page.get_by_role("heading", name="满意度指数")).to_be_visible()
    expect(page.locator("#own-measurement")).to_contain_text("仅本企业可见")

    page.get_by_role("button", name="制定改进计划").click()
    expect(page.get_by_text("改进计划已创建")).to_be_visible()
    page.locator("[data-table='proposals-constructs'] [data-propose]").first.click()
    page.get_by_role("textbox", name="改进措施").fill("门店服务人员培训，缩短等候时间")
    page.get_by_label("负责部门或负责人").fill("门店运营部")
    page.get_by_label("完成期限").fill("2026-09-30")
    page.get_by_role("button", name="添加", exact=True).click()
    expect(page.get_by_text("改进措施已添加")).to_be_visible()
    action = ImprovementAction.objects.get()
    page.get_by_label("完成情况").first.fill("全部门店已完成培训")
    page.locator("[data-action='done']").first.click()
    expect(page.locator(f"[data-action-row='{action.pk}']")).to_have_attribute("data-state", "done")
    expect(page.locator("[data-next-run='none']")).to_be_visible()

    # The next measurement: a second own survey whose customers rate the targeted driver higher.
    second = own_survey(cast, title="2026年三季度门店顾客满意度")
    fill(second, n=60, seed=73, shift={action.driver: 2.0}, prefix="q3")
    services.close_own_survey(survey=second, by=user)
    second.refresh_from_db()
    assert second.run.status == RunStatus.DONE

    page.reload()
    row = page.locator(f"[data-table='changes'] [data-driver='{action.driver}']")
    expect(row).to_have_attribute("data-beyond", "yes")
    expect(row.locator("[data-change]")).to_have_text(re.compile(r"^\+\d+\.\d$"))
    expect(row).to_contain_text("明显提高")
    expect(page.locator(f"[data-next-run='{second.run_id}']")).to_be_visible()

    page.get_by_role("link", name="我的测评").first.click()
    expect(page.locator("[data-table='index-series'] [data-run]")).to_have_count(2)
    expect(page.locator("svg[data-chart='index-trend'] circle")).to_have_count(2)
    assert csp_violations == []
