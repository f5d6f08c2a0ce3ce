"""Training clicked through in Chromium: the agency schedules a class, an enterprise enrols
two of its employees, the agency records attendance and scores, the employee's file shows the
class, its hours and the score; and an application whose category asks for training lists
what is missing on its page until the scores are in."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.training.models import Enrolment, TrainingClass
from manyi.training.results import Result, record_results
from tests.applications.helpers import complete_application, make_application, open_campaign
from tests.conftest import World
from tests.training.factories import enrolled, make_class, make_employee, started

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cast(db):
    return World()


def test_a_class_from_scheduling_to_the_employee_file(
    page, live_server, login_as, cast, csp_violations
):
    make_employee(cast, "李明", department="质量管理部", mobile="13800138001")
    make_employee(cast, "王芳", department="客户服务中心")
    starts = timezone.localtime() + dt.timedelta(days=10)

    # The agency schedules the class.
    login_as(cast.users[Role.AGENCY_STAFF])
    page.goto(f"{live_server.url}/training/")
    page.get_by_role("link", name="安排培训班").click()
    page.get_by_label("培训内容").select_option("satisfaction_theory")
    page.get_by_label("班名").fill("用户满意理论培训班（第一期）")
    page.get_by_label("授课老师").fill("孙教授")
    page.get_by_label("开始时间").fill(starts.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("结束时间").fill(starts.strftime("%Y-%m-%dT17:00"))
    page.get_by_label("学时", exact=True).fill("8")
    page.get_by_label("地点").fill("天河区质量技术协会三楼")
    page.get_by_label("名额").fill("30")
    page.get_by_role("button", name="安排").click()
    expect(page.get_by_text("培训班已安排，现在可以报名了")).to_be_visible()
    training_class = TrainingClass.objects.get()
    assert training_class.organiser == cast.agency

    # The enterprise enrols two employees.
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/training/?scope=enrollable")
    page.get_by_role("link", name="用户满意理论培训班（第一期）").click()
    page.get_by_label("李明").check()
    page.get_by_label("王芳").check()
    page.get_by_role("button", name="报名", exact=True).click()
    expect(page.get_by_text("已为 2 名职工报名")).to_be_visible()
    expect(page.locator("[data-table='enrolments'] tbody tr")).to_have_count(2)
    assert Enrolment.objects.filter(training_class=training_class).count() == 2

    # The class takes place; the agency records attendance and scores.
    started(training_class)
    login_as(cast.users[Role.AGENCY_STAFF])
    page.goto(f"{live_server.url}/training/classes/{training_class.pk}/")
    expect(page.locator("[data-mobile]").first).to_have_text("13800138001")
    page.get_by_role("link", name="登记出勤和成绩").click()
    page.get_by_label("李明的出勤").select_option("yes")
    page.get_by_label("李明的成绩").fill("86.5")
    page.get_by_label("王芳的出勤").select_option("yes")
    page.get_by_label("王芳的成绩").fill("101")
    page.get_by_role("button", name="保存出勤和成绩").click()
    expect(page.get_by_text("王芳：成绩应在 0 到 100 之间")).to_be_visible()
    assert not Enrolment.objects.filter(score__isnull=False).exists()
    page.get_by_label("王芳的成绩").fill("55")
    page.get_by_role("button", name="保存出勤和成绩").click()
    expect(page.get_by_text("已保存出勤和成绩（2 人有变化）")).to_be_visible()

    # The employee's file shows the class, its hours and the score.
    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/training/employees/")
    page.get_by_role("link", name="李明").click()
    row = page.locator("[data-table='records'] tbody tr").first
    expect(row).to_contain_text("用户满意理论培训班（第一期）")
    expect(row.locator("[data-hours]")).to_have_text("8")
    expect(row.locator("[data-score]")).to_have_text("86.5")
    expect(row).to_have_attribute("data-outcome", "pass")
    expect(page.locator("[data-table='years'] [data-passed-hours]")).to_have_text("8")
    page.goto(f"{live_server.url}/training/employees/")
    page.get_by_role("link", name="王芳").click()
    expect(page.locator("[data-table='records'] tbody tr").first).to_have_attribute(
        "data-outcome", "fail"
    )
    assert csp_violations == []


def test_missing_training_is_listed_until_the_scores_are_in(
    page, live_server, login_as, cast, csp_violations
):
    campaign = open_campaign(agencies=[cast.agency])
    application = complete_application(make_application(cast, "brand", campaign=campaign))
    CampaignCategory.objects.filter(campaign=campaign, category="brand").update(
        min_training_hours=Decimal("8"), min_trained_employees=2
    )
    year = campaign.year

    login_as(cast.users[Role.ENTERPRISE_USER])
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("提交前还需完成")).to_be_visible()
    expect(
        page.get_by_text(
            f"本单位职工 {year - 1}—{year} 年培训考核合格学时合计 0 学时，申报本类别至少需要 8 学时（第十八条）"
        )
    ).to_be_visible()
    expect(page.get_by_text(f"本单位 {year - 1}—{year} 年培训考核合格的职工 0 人")).to_be_visible()
    expect(page.get_by_role("button", name="提交至推荐单位")).to_be_disabled()
    # The training page says what the category asks and what the enterprise has.
    page.goto(f"{live_server.url}/training/")
    expect(page.locator("[data-category='brand']")).to_have_attribute("data-met", "no")

    training_class = make_class(cast, hours=Decimal("8"))
    people = enrolled(cast, training_class, names=("李明", "王芳"))
    started(training_class)
    record_results(
        by=cast.users[Role.AGENCY_STAFF],
        training_class=training_class,
        rows=[Result(e.pk, True, Decimal("80")) for e in people],
    )

    page.reload()
    expect(page.locator("[data-category='brand']")).to_have_attribute("data-met", "yes")
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text("提交前还需完成")).to_have_count(0)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="提交至推荐单位").click()
    expect(page.get_by_text(f"已提交至推荐单位 {cast.agency.name}")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert csp_violations == []
