"""A new campaign's default year, taking a published campaign back to draft, and the
resubmission deadline of each category. Time stands at 15 October 2026 (conftest)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.campaigns import selectors, services
from manyi.campaigns.access import UNPUBLISH
from manyi.campaigns.categories import Category
from manyi.campaigns.models import Campaign, CampaignStatus
from manyi.common.actions import ACTION_LABELS
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import make_application
from tests.campaigns.test_campaign_views import category_post
from tests.campaigns.world import make_campaign

pytestmark = pytest.mark.django_db

S = CampaignStatus


def text_of(response) -> str:
    return response.content.decode()


# --- the new campaign's year -----------------------------------------------------------------


def test_without_campaigns_the_default_year_is_this_year():
    assert selectors.next_free_year() == 2026


def test_the_default_year_skips_the_years_that_have_a_campaign(manager, campaign, draft):
    assert selectors.next_free_year() == 2028


def test_a_gap_after_this_year_is_filled_first(manager, campaign):
    make_campaign(manager, year=2028, status=S.DRAFT)
    assert selectors.next_free_year() == 2027


def test_the_default_year_follows_today(manager):
    assert selectors.next_free_year(date(2027, 1, 10)) == 2027


def test_the_new_campaign_form_offers_the_next_free_year(client_for, campaign):
    page = text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/new/"))
    assert 'name="year" value="2027"' in page


# --- back to draft ---------------------------------------------------------------------------


def test_unpublishing_makes_a_draft_and_logs_it(manager, draft):
    services.move_campaign(campaign=draft, to=S.PUBLISHED, by=manager)
    services.unpublish_campaign(campaign=draft, by=manager, reason="发布错了年度主题")
    assert Campaign.objects.get(pk=draft.pk).status == S.DRAFT
    entry = ActivityLog.objects.get(action="campaign.unpublish")
    assert (entry.before, entry.after) == ({"status": "published"}, {"status": "draft"})
    assert entry.note == "发布错了年度主题"
    assert entry.object_id == str(draft.pk)


def test_unpublishing_has_a_label_in_the_log():
    assert ACTION_LABELS["campaign.unpublish"] == "撤回发布申报活动（退回草稿）"


def test_unpublishing_keeps_history_and_tells_the_agencies(world, manager, campaign):
    services.unpublish_campaign(campaign=campaign, by=manager)
    assert campaign.history.first().status == S.DRAFT
    message = OutboxMessage.objects.get(
        template="campaign_unpublished", to=world.users[Role.AGENCY_STAFF].email
    )
    assert "已撤回" in message.subject
    assert "此前通知的受理时间和推荐名额不再有效" in message.body_text


def test_a_campaign_with_any_application_stays_published(world, manager, campaign):
    make_application(world, campaign=campaign, status="withdrawn")
    with pytest.raises(ValidationError, match="已有申报，不能撤回为草稿"):
        services.unpublish_campaign(campaign=campaign, by=manager)
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED
    assert not ActivityLog.objects.filter(action="campaign.unpublish").exists()


@pytest.mark.parametrize("status", [S.DRAFT, S.CLOSED, S.ARCHIVED])
def test_only_a_published_campaign_goes_back_to_draft(manager, status):
    campaign = make_campaign(manager, status=status)
    with pytest.raises(ValidationError, match="只有已发布的申报活动可以撤回为草稿"):
        services.unpublish_campaign(campaign=campaign, by=manager)
    assert Campaign.objects.get(pk=campaign.pk).status == status


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER])
def test_only_managers_unpublish(world, campaign, role):
    with pytest.raises(PermissionDenied):
        services.unpublish_campaign(campaign=campaign, by=world.users[role])
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED


def test_the_one_rule_answers_for_managers_only(world, manager, campaign):
    assert UNPUBLISH.allows(manager, campaign)
    assert not UNPUBLISH.allows(world.users[Role.WORKDEPT_STAFF], campaign)


def test_managers_get_the_button_while_it_is_allowed(world, client_for, campaign):
    assert "撤回为草稿" in text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/2026/"))
    make_application(world, campaign=campaign)
    assert "撤回为草稿" not in text_of(client_for(Role.COMMITTEE_STAFF).get("/campaigns/2026/"))


def test_others_never_get_the_button(client_for, campaign):
    for role in (Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, "anonymous"):
        assert "撤回为草稿" not in text_of(client_for(role).get("/campaigns/2026/")), role


def test_the_button_takes_the_campaign_back_to_draft(client_for, campaign):
    response = client_for(Role.ASSOCIATION_ADMIN).post(
        "/campaigns/2026/move/", {"to": "draft", "seen": "published"}, follow=True
    )
    assert "申报活动已撤回为草稿" in text_of(response)
    assert Campaign.objects.get(pk=campaign.pk).status == S.DRAFT


def test_the_button_refuses_when_an_application_came_meanwhile(world, client_for, campaign):
    make_application(world, campaign=campaign)
    response = client_for(Role.COMMITTEE_STAFF).post(
        "/campaigns/2026/move/", {"to": "draft", "seen": "published"}, follow=True
    )
    assert "已有申报，不能撤回为草稿" in text_of(response)
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED


def test_others_cannot_post_back_to_draft(client_for, campaign):
    response = client_for(Role.WORKDEPT_STAFF).post(
        "/campaigns/2026/move/", {"to": "draft", "seen": "published"}
    )
    assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).status == S.PUBLISHED


# --- the resubmission deadline ---------------------------------------------------------------


def test_set_category_changes_the_resubmission_deadline_and_logs_it(manager, campaign):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(campaign_category=service, by=manager, data={"resubmission_days": 15})
    service.refresh_from_db()
    assert service.resubmission_days == 15
    entry = ActivityLog.objects.get(action="campaign.category_update")
    assert entry.after == {"category": "service", "resubmission_days": 15}


@pytest.mark.parametrize("days", [0, 91])
def test_a_resubmission_deadline_out_of_range_is_refused(manager, campaign, days):
    brand = campaign.categories.get(category=Category.BRAND)
    with pytest.raises(ValidationError):
        services.set_category(campaign_category=brand, by=manager, data={"resubmission_days": days})
    brand.refresh_from_db()
    assert brand.resubmission_days == 10


def test_staff_edit_the_resubmission_deadline_on_the_campaign_form(client_for, campaign):
    client = client_for(Role.COMMITTEE_STAFF)
    assert "退回后重新提交期限（天）" in text_of(client.get("/campaigns/2026/edit/"))
    data = category_post(campaign, **{"engineering-resubmission_days": "20"})
    response = client.post("/campaigns/2026/edit/", data)
    assert response.status_code == 302
    assert campaign.categories.get(category=Category.ENGINEERING).resubmission_days == 20


def test_the_campaign_page_shows_the_resubmission_deadline(client_for, manager, campaign):
    product = campaign.categories.get(category=Category.PRODUCT)
    services.set_category(campaign_category=product, by=manager, data={"resubmission_days": 12})
    page = text_of(client_for(Role.ENTERPRISE_USER).get("/campaigns/2026/"))
    assert "推荐单位退回修改后 12 天内" in page
    assert "推荐单位退回修改后 10 天内" in page
