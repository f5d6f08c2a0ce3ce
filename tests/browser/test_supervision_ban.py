"""The five-year ban (Art. 26) in the browser: an enterprise whose USCC is banned is refused at
submission with the date the ban ends, in Chinese; once that day has come (time moved forward,
in this process and so in the live server's thread), the same submission is accepted."""

import datetime

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.applications.models import Application
from manyi.applications.states import Status
from manyi.campaigns.services import add_ban
from manyi.common.punctuation import local_date
from tests.applications.helpers import complete_application, make_application, open_campaign
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_banned_enterprise_is_refused_until_the_ban_ends(
    page, live_server, login_as, time_machine, csp_violations
):
    world = World()
    open_campaign(agencies=[world.agency])
    application = complete_application(make_application(world, "service"))
    enterprise = world.enterprise
    today = timezone.localdate()
    # Decided almost five years ago: the ban ends the day after tomorrow.
    ban = add_ban(
        by=world.users[Role.ASSOCIATION_ADMIN],
        uscc=enterprise.uscc,
        organisation_name=enterprise.name,
        reason="提供虚假申报材料骗取称号",
        decided_on=today.replace(year=today.year - 5) + datetime.timedelta(days=2),
    )
    assert ban.ends_on == today + datetime.timedelta(days=2)
    # The page is in Chinese whatever language an earlier test left active in this thread.
    with translation.override("zh-hans"):
        ends = local_date(ban.ends_on)
    refusal = f"根据《管理办法》第二十六条，该单位在 {ends} 之前不得申报"
    applicant = world.users[Role.ENTERPRISE_USER]
    page.on("dialog", lambda dialog: dialog.accept())

    login_as(applicant)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text(refusal)).to_be_visible()
    submit = page.get_by_role("button", name="提交至推荐单位")
    expect(submit).to_be_disabled()
    # Even if the button is forced, the submission is refused with the same words.
    submit.evaluate("button => button.removeAttribute('disabled')")
    submit.click()
    expect(page.get_by_text("尚不能提交，请补齐以下各项：")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text=refusal)).to_be_visible()
    application.refresh_from_db()
    assert application.status == Status.DRAFT

    # The day the ban ends, in the morning: the session of two days ago has expired.
    time_machine.move_to(
        timezone.make_aware(datetime.datetime.combine(ban.ends_on, datetime.time(9, 30))),
        tick=True,
    )
    login_as(applicant)
    page.goto(f"{live_server.url}/applications/{application.pk}/")
    expect(page.get_by_text(refusal)).to_have_count(0)
    expect(page.get_by_text("提交前还需完成")).to_have_count(0)
    page.get_by_role("button", name="提交至推荐单位").click()
    expect(page.get_by_text(f"已提交至推荐单位 {world.agency.name}")).to_be_visible()
    expect(page.get_by_text("推荐单位审核中")).to_be_visible()
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED
    assert not csp_violations
