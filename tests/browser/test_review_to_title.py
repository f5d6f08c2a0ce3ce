"""From recommendation to title, clicked through in Chromium, in Chinese, by each role that
does a step: a deficiency notice and its completion; experts drawn, scoring opened, an expert
scores; the committee proposes, the association confirms and releases; a member of the public
objects; staff investigate; the titles are granted; the certificate is downloaded and the
verification page reached through the title's link."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.reviews.models import Assignment, DeficiencyNotice
from manyi.titles.models import Objection, PublicNotice, Title
from tests.conftest import World
from tests.reviews.factories import after_recommendation, make_expert
from tests.titles.decision_helpers import with_index

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_a_deficiency_notice_is_completed_and_the_application_accepted(
    page, live_server, login_as, cast, csp_violations
):
    application = after_recommendation(cast, "brand")
    page.on("dialog", lambda dialog: dialog.accept())
    login_as(cast.users[Role.COMMITTEE_STAFF])
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    expect(page.get_by_role("heading", name="形式审查")).to_be_visible()
    page.get_by_text("发出补正通知（一次性告知）").click()
    page.get_by_label("其他需补正的内容").fill("请补充近三年投诉处理台账。")
    page.get_by_role("button", name="发出补正通知").click()
    expect(page.locator("[data-notice]")).to_contain_text("请补充近三年投诉处理台账。")
    assert DeficiencyNotice.objects.get(application=application).items

    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.locator("#deficiency")).to_contain_text("请补充近三年投诉处理台账。")
    page.get_by_label("补正说明").fill("已上传投诉处理台账。")
    page.get_by_role("button", name="补正完成，重新提交").click()
    expect(page.locator("[data-completed]")).to_be_visible()

    login_as(cast.users[Role.COMMITTEE_STAFF])
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    page.get_by_label("审核意见").fill("补正后材料齐全，同意受理。")
    page.get_by_role("button", name="受理", exact=True).click()
    expect(page.locator("[data-application-status]")).to_have_text("已受理，评价中")
    expect(page.locator("[data-opinion]")).to_contain_text("补正后材料齐全，同意受理。")
    assert not csp_violations


def test_experts_score_the_committee_decides_and_the_title_is_granted_and_verified(
    page, live_server, login_as, cast, csp_violations
):
    application = after_recommendation(cast, "brand", status=Status.ACCEPTED)
    application.form_data = {**application.form_data, "brand_name": "珠江牌"}
    application.save(update_fields=["form_data"])
    with_index(cast, application, 86.0)
    experts = [make_expert(cast, campaign=application.campaign) for _ in range(4)]
    page.on("dialog", lambda dialog: dialog.accept())
    staff, admin = cast.users[Role.COMMITTEE_STAFF], cast.users[Role.ASSOCIATION_ADMIN]

    # Staff draw the experts and open the review with the default weights.
    login_as(staff)
    page.goto(f"{live_server.url}/reviews/{application.pk}/")
    page.get_by_role("button", name=re.compile("抽取 3 位评审专家")).click()
    expect(page.get_by_text("复核抽取结果：一致")).to_be_visible()
    drawn = list(Assignment.objects.filter(application=application).select_related("expert"))
    assert len(drawn) == 3 and {a.expert for a in drawn} <= set(experts)
    page.get_by_role("link", name=re.compile("评分细则")).first.click()
    page.get_by_role("button", name="开始评审").click()
    expect(page.get_by_role("button", name="开始评审")).to_have_count(0)

    # Each expert scores; the first sees no other score before submitting.
    for assignment in drawn:
        login_as(assignment.expert)
        page.goto(f"{live_server.url}/reviews/assignments/{assignment.pk}/score/")
        expect(page.locator("[data-other-sheets]")).to_have_count(0)
        for field in page.locator("input[type=number]").all():
            field.fill("8")
        page.get_by_label("建议授予", exact=True).check()
        page.get_by_label("评审意见").fill("措施具体，测量与改进形成闭环。")
        page.get_by_role("button", name="提交").click()
        expect(page.locator("[data-sheet-state=submitted]")).to_be_visible()
    expect(page.locator("[data-other-sheets]")).to_be_visible()

    # The committee proposes; the association confirms and releases the category.
    page.goto("about:blank")
    login_as(staff)
    year = application.campaign.year
    page.goto(f"{live_server.url}/titles/decisions/{year}/brand/")
    page.get_by_label("拟授予称号", exact=True).check()
    page.get_by_label("理由").first.fill("满意度指数高于门槛，专家一致建议授予。")
    page.get_by_label("评为标杆（第十七条）").check()
    page.get_by_role("button", name="保存评定意见").click()
    login_as(admin)
    page.goto(f"{live_server.url}/titles/decisions/{year}/brand/")
    page.get_by_role("button", name="确认评定意见").click()
    page.get_by_role("button", name="发布评定结果并公示").click()
    application.refresh_from_db()
    assert application.status == Status.IN_NOTICE
    notice = PublicNotice.objects.get(campaign=application.campaign, category="brand")

    # A member of the public objects through the notice page.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/titles/notices/{notice.pk}/")
    expect(page.get_by_text("珠江牌").first).to_be_visible()
    page.get_by_role("link", name="提出异议").click()
    page.get_by_label("异议对象").select_option(index=1)
    page.get_by_label("异议人姓名或单位").fill("张先生")
    page.get_by_label("联系方式").fill("13900001111")
    page.get_by_label("异议事实和理由").fill("该品牌去年曾因质量问题被投诉。")
    page.get_by_role("button", name="提交异议").click()
    expect(page.get_by_role("heading", name="异议已收到")).to_be_visible()
    objection = Objection.objects.get()
    # The notice page never shows the objector.
    page.goto(f"{live_server.url}/titles/notices/{notice.pk}/")
    expect(page.get_by_text("13900001111")).to_have_count(0)

    # Staff assign themselves to investigate and dismiss it.
    login_as(staff)
    page.goto(f"{live_server.url}/titles/objections/{objection.pk}/")
    expect(page.get_by_text("13900001111")).to_be_visible()
    page.get_by_label("调查人", exact=True).select_option(label=staff.display_name)
    page.get_by_role("button", name="指定").click()
    page.get_by_label("异议不成立").check()
    page.get_by_label("调查结论和理由").fill("经核查，投诉已妥善处理，异议不成立。")
    page.get_by_role("button", name="记录结论").click()
    expect(page.locator("[data-findings]")).to_contain_text("异议不成立")

    # The period ends; staff grant the title and the 公告 is published.
    today = timezone.localdate()
    PublicNotice.objects.filter(pk=notice.pk).update(
        starts_on=today - datetime.timedelta(days=8), ends_on=today - datetime.timedelta(days=1)
    )
    page.goto(f"{live_server.url}/titles/notices/{notice.pk}/")
    page.get_by_role("button", name="授予称号并发布公告").first.click()
    title = Title.objects.get(application=application)
    assert re.fullmatch(rf"GZYH-{year}-PP-\d{{4}}", title.number) and title.benchmark

    # The applicant downloads its certificate and reaches the public verification page.
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text(title.number).first).to_be_visible()
    with page.expect_download() as download:
        page.locator("[data-certificate-link]").click()
    assert download.value.suggested_filename.endswith(".pdf")
    page.get_by_role("link", name="公开核验页").click()
    expect(page.get_by_text(title.number).first).to_be_visible()
    expect(page.get_by_text("有效").first).to_be_visible()
    assert not csp_violations
