"""A diagnosis clicked through in Chromium: the group's leader writes the report (adding rows
with the page's own script), saves a draft and submits it; the enterprise reads it, answers
with a plan (first refused for leaving the high recommendation unanswered), and ticks an action
off; the agency then reads the plan's progress."""

import re

import pytest
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus
from manyi.selfmeasure.models import ImprovementAction
from tests.conftest import World
from tests.diagnostics.factories import leader_of, visited

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_report_answer_and_plan(page, live_server, login_as, cast, csp_violations):
    diagnosis = visited(cast)
    page.on("dialog", lambda dialog: dialog.accept())

    # The leader writes the report.
    login_as(leader_of(cast))
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_text("待撰写的诊断报告")).to_be_visible()
    page.goto(f"{live_server.url}/diagnostics/")
    page.locator(f"[data-diagnosis='{diagnosis.pk}'] a").click()
    page.get_by_role("link", name="撰写诊断报告").click()
    page.get_by_label("总体评价").fill("企业已建立测评制度，投诉处理闭环不完整。")
    findings = page.locator("textarea[name=finding]")
    findings.nth(0).fill("投诉处理没有时限要求")
    page.get_by_role("button", name="添加一条问题").click()
    expect(page.locator("[data-rows=finding] [data-row-key]").nth(1)).to_have_text("F2")
    findings.nth(1).fill("售后回访记录不全")
    recommendations = page.locator("textarea[name=recommendation]")
    recommendations.nth(0).fill("建立投诉 48 小时闭环制度")
    page.locator("select[name=priority]").nth(0).select_option("high")
    page.get_by_role("button", name="添加一条建议").click()
    recommendations.nth(1).fill("完善售后回访台账")
    page.locator("select[name=priority]").nth(1).select_option("low")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("草稿已保存")).to_be_visible()
    # Saved rows come back, each with its number, and a spare row for the next one.
    expect(page.locator("textarea[name=finding]")).to_have_count(3)
    page.get_by_role("button", name="提交报告").click()
    expect(page.get_by_text("诊断报告已提交")).to_be_visible()
    expect(page.locator("[data-diagnosis-status]")).to_have_text("已出具诊断报告")

    # The enterprise reads it and answers.
    page.context.clear_cookies()
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/dashboard/")
    expect(page.get_by_text("待答复的诊断报告")).to_be_visible()
    page.goto(f"{live_server.url}/diagnostics/{diagnosis.pk}/")
    expect(page.locator("[data-finding='F2']")).to_contain_text("售后回访记录不全")
    expect(page.locator("[data-recommendation='R1']")).to_contain_text("高")
    expect(page.get_by_role("link", name="下载 PDF")).to_be_visible()
    page.get_by_role("link", name="答复并制定改进计划").click()
    page.get_by_label("企业对诊断报告的意见").fill("同意报告意见，立即整改。")
    rows = page.locator("[data-rows=action] > [data-row]")
    # The rows come one per recommendation, the high one first: answer only the low one.
    rows.nth(1).locator("textarea").fill("建立回访台账")
    rows.nth(1).locator("input[name=action_owner]").fill("售后部")
    rows.nth(1).locator("input[name=action_due_on]").fill("2030-03-31")
    page.get_by_role("button", name="提交答复和改进计划").click()
    expect(page.get_by_text("尚未对应：R1")).to_be_visible()
    assert Diagnosis.objects.get().status == DiagnosisStatus.REPORTED

    rows.nth(0).locator("textarea").fill("制定投诉处理制度")
    rows.nth(0).locator("input[name=action_owner]").fill("客户服务部")
    rows.nth(0).locator("input[name=action_due_on]").fill("2030-01-31")
    page.get_by_role("button", name="提交答复和改进计划").click()
    expect(page.get_by_text("已答复诊断报告")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/own/plans/\d+/$"))
    expect(page.locator("[data-recommendation-row='R1'] [data-answered]")).to_have_text("1（0）")

    # It ticks the first action off on the plan page.
    action = ImprovementAction.objects.get(driver="R1")
    row = page.locator(f"[data-action-row='{action.pk}']")
    row.get_by_placeholder("完成情况（可选）").fill("制度已发布")
    row.get_by_role("button", name="完成").click()
    expect(page.get_by_text("已标记为完成")).to_be_visible()
    expect(page.locator(f"[data-action-row='{action.pk}']")).to_have_attribute("data-state", "done")
    page.locator("[data-diagnosis-link]").click()
    expect(page.locator("[data-plan-progress]")).to_contain_text("1 / 2")

    # The agency reads the progress, and nothing it could not do is offered.
    page.context.clear_cookies()
    login_as(cast.users[Role.AGENCY_STAFF])
    page.goto(f"{live_server.url}/diagnostics/{diagnosis.pk}/")
    expect(page.locator("[data-plan-progress]")).to_have_attribute("data-plan-progress", "1/2")
    expect(page.locator("[data-plan-action][data-state='done']")).to_contain_text("制度已发布")
    expect(page.locator("[data-buttons]")).to_have_count(0)
    assert csp_violations == []
