"""A revocation clicked through in Chromium, in Chinese: committee staff open a case from the
title's page with their proposal at once, the administrator revokes from today, the public
verification page then says revoked and why, and the administrator publishes the year's
notice, which anyone reads."""

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from manyi.accounts.roles import Role
from manyi.common.punctuation import local_date
from manyi.supervision.models import Revocation, RevocationStatus
from manyi.titles.models import TitleStatus
from tests.conftest import World
from tests.supervision.factories_revocations import FACTS, PROPOSAL, a_title

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(db):
    return World()


def test_a_title_is_revoked_verified_as_revoked_and_listed_in_the_notice(
    page,
    live_server,
    login_as,
    cast,
    csp_violations,
    context,
):
    title = a_title(cast)
    page.on("dialog", lambda dialog: dialog.accept())

    # Committee staff open a case from the title's page and propose at once.
    login_as(cast.users[Role.COMMITTEE_STAFF])
    page.goto(f"{live_server.url}/titles/certificates/{title.number}/detail/")
    page.get_by_role("link", name="立案撤销").click()
    page.get_by_label("撤销事由").select_option("failed_revisit")
    page.get_by_label("事实和依据").fill(FACTS)
    page.get_by_label("同时提出撤销建议，报协会决定").check()
    page.get_by_label("用户委员会的撤销建议").fill(PROPOSAL)
    page.get_by_role("button", name="立案").click()
    expect(page.locator("[data-case-status]")).to_have_text("已建议撤销")
    case = Revocation.objects.get(title=title)

    # The administrator revokes from today.
    context.clear_cookies()
    login_as(cast.users[Role.ASSOCIATION_ADMIN])
    page.goto(f"{live_server.url}/supervision/revocations/{case.pk}/")
    page.get_by_label("撤销称号").check()
    page.get_by_label("决定内容或不予撤销的理由").fill("经协会研究，决定撤销该称号。")
    page.get_by_role("button", name="作出决定").click()
    expect(page.locator("[data-case-status]")).to_have_text("已撤销")
    case.refresh_from_db()
    title.refresh_from_db()
    assert case.status == RevocationStatus.REVOKED
    assert title.status == TitleStatus.REVOKED

    # Anyone verifying the number is told it is revoked, since when and why.
    context.clear_cookies()
    page.goto(f"{live_server.url}/titles/verify/{title.number}/")
    expect(page.locator("[data-verify-result]")).to_have_attribute("data-verify-result", "revoked")
    with translation.override("zh-hans"):  # the page is Chinese whatever this thread holds
        today = local_date(timezone.localdate())
    expect(page.locator("[data-field=status]")).to_contain_text(today)
    expect(page.locator("[data-field=revocation-reason]")).to_have_text("回访确认未通过")

    # The administrator publishes the year's notice; the public reads it.
    login_as(cast.users[Role.ASSOCIATION_ADMIN])
    page.goto(f"{live_server.url}/supervision/notices/")
    page.get_by_role("link", name="发布年度公示").click()
    expect(page.locator("[data-table=revoked-titles]")).to_contain_text(title.number)
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("撤销称号和取消资格公示")
    context.clear_cookies()
    page.goto(f"{live_server.url}/supervision/notices/")
    page.get_by_role("link", name="撤销称号和取消资格公示").click()
    expect(page.locator("[data-table=revoked-titles]")).to_contain_text(title.number)
    assert not csp_violations
