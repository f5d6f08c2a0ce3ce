from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from manyi.accounts.roles import Role
from manyi.accounts.uscc import make_uscc
from manyi.campaigns import selectors, services
from manyi.campaigns.categories import Category
from manyi.campaigns.models import (
    AgencyQuota,
    Ban,
    Campaign,
    CampaignCategory,
    CampaignStatus,
    Reopening,
)
from manyi.common.models import ActivityLog, OutboxMessage
from tests.campaigns.world import CLOSES, NOW, OPENS, make_campaign
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

S = CampaignStatus
BANNED = make_uscc("91440100MD0000001")


# --- create and update ------------------------------------------------------------------


def test_create_campaign_makes_a_draft_with_five_categories_and_defaults(manager):
    campaign = services.create_campaign(by=manager, year=2026, opens_at=OPENS, closes_at=CLOSES)
    assert campaign.status == S.DRAFT
    assert campaign.title == "申报2026年广州市实施用户满意工程先进单位"
    rows = {c.category: c for c in campaign.categories.all()}
    assert set(rows) == set(Category.values)
    for row in rows.values():
        row.refresh_from_db()
        assert row.is_open
        assert row.data_year == 2025
        assert row.satisfaction_threshold == Decimal("80")
        assert (row.minimum_customers, row.experts_per_application) == (30, 3)
        assert (row.title_validity_years, row.public_notice_days) == (3, 7)
    entry = ActivityLog.objects.get(action="campaign.create")
    assert entry.actor == manager
    assert entry.object_id == str(campaign.pk)
    assert entry.after["year"] == 2026
    assert entry.after["status"] == "draft"
    assert campaign.history.count() == 1


@pytest.mark.parametrize(
    "role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT]
)
def test_only_association_and_committee_may_create(world, role):
    with pytest.raises(PermissionDenied):
        services.create_campaign(by=world.users[role], year=2026, opens_at=OPENS, closes_at=CLOSES)
    assert not Campaign.objects.exists()


def test_association_admin_may_create(world):
    admin = world.users[Role.ASSOCIATION_ADMIN]
    assert services.create_campaign(by=admin, year=2026, opens_at=OPENS, closes_at=CLOSES).pk


def test_closing_before_opening_is_refused_and_nothing_is_made(manager):
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(by=manager, year=2026, opens_at=CLOSES, closes_at=OPENS)
    assert exc.value.message_dict["closes_at"] == ["截止时间应晚于开始受理时间"]
    assert not Campaign.objects.exists()
    assert not CampaignCategory.objects.exists()
    assert not ActivityLog.objects.filter(action="campaign.create").exists()


def test_the_database_refuses_a_window_the_wrong_way_round(manager):
    with pytest.raises(IntegrityError), transaction.atomic():
        Campaign.objects.create(year=2026, title="x", opens_at=CLOSES, closes_at=OPENS)


def test_one_campaign_per_year(manager, campaign):
    with pytest.raises(ValidationError) as exc:
        services.create_campaign(by=manager, year=2026, opens_at=OPENS, closes_at=CLOSES)
    assert "2026年的申报活动已存在" in exc.value.message_dict["year"]


def test_update_logs_only_what_changed(manager, campaign):
    services.update_campaign(
        campaign=campaign,
        by=manager,
        data={"theme": "质量提升", "title": campaign.title, "closes_at": CLOSES},
    )
    entry = ActivityLog.objects.get(action="campaign.update")
    assert entry.before == {"theme": "以用户为中心，提升质量满意"}
    assert entry.after == {"theme": "质量提升"}
    services.update_campaign(campaign=campaign, by=manager, data={"theme": "质量提升"})
    assert ActivityLog.objects.filter(action="campaign.update").count() == 1


def test_update_does_not_undo_a_concurrent_move(manager, campaign):
    stale = Campaign.objects.get(pk=campaign.pk)
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    services.update_campaign(campaign=stale, by=manager, data={"theme": "新主题"})
    campaign.refresh_from_db()
    assert campaign.status == S.CLOSED
    assert campaign.theme == "新主题"


def test_update_refuses_a_bad_window_and_keeps_the_old_one(manager, campaign):
    with pytest.raises(ValidationError):
        services.update_campaign(
            campaign=campaign, by=manager, data={"closes_at": OPENS - timedelta(days=1)}
        )
    assert Campaign.objects.get(pk=campaign.pk).closes_at == CLOSES


def test_archived_campaign_cannot_be_changed(manager, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=S.ARCHIVED)
    campaign.refresh_from_db()
    with pytest.raises(ValidationError, match="已归档"):
        services.update_campaign(campaign=campaign, by=manager, data={"theme": "x"})


def test_set_category_closes_it_and_logs_before_and_after(manager, campaign):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(
        campaign_category=service,
        by=manager,
        data={"is_open": False, "data_year": 2024, "satisfaction_threshold": Decimal("82.5")},
    )
    service.refresh_from_db()
    assert not service.is_open
    assert service.data_year == 2024
    assert service.satisfaction_threshold == Decimal("82.50")
    entry = ActivityLog.objects.get(action="campaign.category_update")
    assert entry.before == {
        "category": "service",
        "is_open": True,
        "data_year": 2025,
        "satisfaction_threshold": "80.00",
    }
    assert entry.after["is_open"] is False
    assert entry.after["satisfaction_threshold"] == "82.50"


def test_categories_whose_data_year_differs_are_named(manager, campaign):
    service = campaign.categories.get(category=Category.SERVICE)
    services.set_category(campaign_category=service, by=manager, data={"data_year": 2024})

    found = services.data_year_differences(campaign.categories.order_by("id"))

    assert found["usual"] == 2025
    assert [c.category for c in found["others"]] == [Category.SERVICE]


def test_no_difference_when_every_category_has_the_same_data_year(campaign):
    assert services.data_year_differences(campaign.categories.all()) is None


def test_data_year_cannot_be_after_the_campaign_year(manager, campaign):
    brand = campaign.categories.get(category=Category.BRAND)
    with pytest.raises(ValidationError) as exc:
        services.set_category(campaign_category=brand, by=manager, data={"data_year": 2027})
    assert exc.value.message_dict["data_year"] == ["数据年度不能晚于申报年度"]
    assert CampaignCategory.objects.get(pk=brand.pk).data_year == 2025


# --- moves ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "to", "action"),
    [
        (S.DRAFT, S.PUBLISHED, "campaign.publish"),
        (S.PUBLISHED, S.CLOSED, "campaign.close"),
        (S.CLOSED, S.ARCHIVED, "campaign.archive"),
        (S.CLOSED, S.PUBLISHED, "campaign.reopen"),
    ],
)
def test_allowed_moves_change_the_state_and_log_before_and_after(manager, start, to, action):
    campaign = make_campaign(manager, status=start)
    services.move_campaign(campaign=campaign, to=to, by=manager, reason="按年度计划")
    assert Campaign.objects.get(pk=campaign.pk).status == to
    entry = ActivityLog.objects.filter(action=action).latest("id")
    assert entry.before == {"status": start}
    assert entry.after == {"status": to}
    assert entry.note == "按年度计划"
    assert entry.actor == manager
    assert campaign.history.first().status == to


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.DRAFT, S.CLOSED),
        (S.DRAFT, S.ARCHIVED),
        (S.PUBLISHED, S.DRAFT),
        (S.PUBLISHED, S.ARCHIVED),
        (S.PUBLISHED, S.PUBLISHED),
        (S.CLOSED, S.DRAFT),
        (S.ARCHIVED, S.PUBLISHED),
        (S.ARCHIVED, S.CLOSED),
        (S.ARCHIVED, S.DRAFT),
        (S.DRAFT, "deleted"),
    ],
)
def test_other_moves_are_refused(manager, start, to):
    campaign = make_campaign(manager, status=start)
    logged = ActivityLog.objects.count()
    with pytest.raises(ValidationError, match="申报活动不能从"):
        services.move_campaign(campaign=campaign, to=to, by=manager)
    assert Campaign.objects.get(pk=campaign.pk).status == start
    assert ActivityLog.objects.count() == logged


def test_a_closed_campaign_reopens_only_before_its_closing_time(manager, time_machine):
    campaign = make_campaign(manager, status=S.CLOSED)
    time_machine.move_to(CLOSES + timedelta(minutes=1), tick=False)
    with pytest.raises(ValidationError, match="截止时间已过"):
        services.move_campaign(campaign=campaign, to=S.PUBLISHED, by=manager)
    assert Campaign.objects.get(pk=campaign.pk).status == S.CLOSED


def test_publishing_needs_an_open_category(manager, draft):
    draft.categories.update(is_open=False)
    with pytest.raises(ValidationError, match="至少开放一个申报类别"):
        services.move_campaign(campaign=draft, to=S.PUBLISHED, by=manager)


def test_non_managers_cannot_move(world, draft):
    with pytest.raises(PermissionDenied):
        services.move_campaign(campaign=draft, to=S.PUBLISHED, by=world.users[Role.WORKDEPT_STAFF])
    assert Campaign.objects.get(pk=draft.pk).status == S.DRAFT


def test_two_staff_pressing_at_once_move_it_once(world, manager, draft):
    mine = Campaign.objects.get(pk=draft.pk)
    theirs = Campaign.objects.get(pk=draft.pk)
    services.move_campaign(campaign=mine, to=S.PUBLISHED, by=manager)
    with pytest.raises(ValidationError, match="刚被其他同事修改"):
        services.move_campaign(
            campaign=theirs, to=S.PUBLISHED, by=world.users[Role.ASSOCIATION_ADMIN]
        )
    assert ActivityLog.objects.filter(action="campaign.publish").count() == 1
    assert Campaign.objects.get(pk=draft.pk).status == S.PUBLISHED


def test_publishing_tells_every_agency_its_quotas(world, manager, draft):
    services.set_quota(
        campaign=draft, agency=world.agency, category=Category.BRAND, quota=3, by=manager
    )
    services.move_campaign(campaign=draft, to=S.PUBLISHED, by=manager)
    mine = OutboxMessage.objects.get(
        to=world.users[Role.AGENCY_STAFF].email, template="campaign_published"
    )
    assert "申报2027年广州市实施用户满意工程先进单位已发布" in mine.subject
    assert "用户满意品牌：3" in mine.body_text
    assert "2027年12月31日 23:59" in mine.body_text
    other = OutboxMessage.objects.get(to=world.other_agency_staff.email)
    assert "尚未给贵单位分配推荐名额" in other.body_text
    # Nobody else is mailed about the publication.
    assert OutboxMessage.objects.filter(template="campaign_published").count() == 2


def test_mail_is_delivered_only_after_the_move_commits(
    world, manager, draft, django_capture_on_commit_callbacks
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.move_campaign(campaign=draft, to=S.PUBLISHED, by=manager)
    assert OutboxMessage.objects.filter(status="queued").count() == 2
    assert not mail.outbox
    for callback in callbacks:
        callback()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users[Role.AGENCY_STAFF].email, world.other_agency_staff.email]
    )
    assert OutboxMessage.objects.filter(status="sent").count() == 2


def test_a_refused_move_sends_nothing(manager, draft):
    with pytest.raises(ValidationError):
        services.move_campaign(campaign=draft, to=S.CLOSED, by=manager)
    assert not OutboxMessage.objects.exists()


# --- quotas -----------------------------------------------------------------------------


def test_quota_is_set_changed_and_removed_on_one_row(world, manager, campaign):
    args = {"campaign": campaign, "agency": world.agency, "category": Category.PRODUCT}
    services.set_quota(**args, quota=2, by=manager)
    services.set_quota(**args, quota=5, by=manager)
    assert list(AgencyQuota.objects.values_list("quota", flat=True)) == [5]
    assert selectors.quota_of(campaign, world.agency, Category.PRODUCT) == 5
    entries = ActivityLog.objects.filter(action="campaign.quota_set").order_by("id")
    assert [(e.before["quota"], e.after["quota"]) for e in entries] == [(None, 2), (2, 5)]
    assert entries[0].organisation == world.agency
    services.set_quota(**args, quota=0, by=manager)
    assert not AgencyQuota.objects.exists()
    assert selectors.quota_of(campaign, world.agency, Category.PRODUCT) == 0


def test_setting_the_same_quota_again_logs_nothing(world, manager, campaign):
    args = {"campaign": campaign, "agency": world.agency, "category": Category.BRAND}
    services.set_quota(**args, quota=2, by=manager)
    services.set_quota(**args, quota=2, by=manager)
    assert ActivityLog.objects.filter(action="campaign.quota_set").count() == 1


def test_quota_rows_are_unique_per_campaign_agency_category(world, campaign):
    AgencyQuota.objects.create(
        campaign=campaign, agency=world.agency, category=Category.BRAND, quota=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyQuota.objects.create(
            campaign=campaign, agency=world.agency, category=Category.BRAND, quota=2
        )


def test_negative_quota_and_non_agencies_are_refused(world, manager, campaign):
    with pytest.raises(ValidationError) as exc:
        services.set_quota(
            campaign=campaign, agency=world.agency, category="brand", quota=-1, by=manager
        )
    assert exc.value.message_dict["quota"] == ["推荐名额不能为负数"]
    with pytest.raises(ValidationError, match="只有推进机构"):
        services.set_quota(
            campaign=campaign, agency=world.enterprise, category="brand", quota=1, by=manager
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AgencyQuota.objects.create(
            campaign=campaign, agency=world.agency, category=Category.BRAND, quota=0
        )
    assert not AgencyQuota.objects.exists()


def test_agency_sees_only_its_own_quotas(world, manager, campaign):
    for agency, n in ((world.agency, 2), (world.other_agency, 7)):
        services.set_quota(
            campaign=campaign, agency=agency, category=Category.SERVICE, quota=n, by=manager
        )
    mine = selectors.quotas_for_agency(world.users[Role.AGENCY_STAFF], campaign)
    assert [(q.agency, q.quota) for q in mine] == [(world.agency, 2)]
    assert not selectors.quotas_for_agency(world.users[Role.ENTERPRISE_USER], campaign).exists()


# --- bans -------------------------------------------------------------------------------


def add_ban(manager, **overrides):
    fields = {
        "by": manager,
        "uscc": BANNED,
        "organisation_name": "广州虚构贸易有限公司",
        "reason": "提供虚假的用户名单",
        "decided_on": date(2026, 3, 10),
    }
    return services.add_ban(**(fields | overrides))


def test_ban_ends_five_years_after_the_decision(manager):
    ban = add_ban(manager)
    assert ban.ends_on == date(2031, 3, 10)
    assert ban.created_by == manager
    entry = ActivityLog.objects.get(action="ban.add")
    assert entry.after["ends_on"] == "2031-03-10"
    assert entry.note == "提供虚假的用户名单"


def test_a_ban_decided_on_29_february_keeps_every_day_of_its_term(manager):
    assert add_ban(manager, decided_on=date(2028, 2, 29)).ends_on == date(2033, 3, 1)


def test_ban_in_force_until_ends_on_and_not_after(manager):
    ban = add_ban(manager)
    assert selectors.ban_in_force(BANNED, on=date(2026, 3, 9)) is None
    assert selectors.ban_in_force(BANNED, on=date(2026, 3, 10)) == ban
    # Spaces and lower case are how people type it: still found.
    spaced = f"{BANNED[:6].lower()} {BANNED[6:]}"
    assert selectors.ban_in_force(spaced, on=date(2031, 3, 9)) == ban
    assert selectors.ban_in_force(BANNED, on=date(2031, 3, 10)) is None
    assert selectors.ban_in_force(BANNED) == ban  # today, 15 October 2026


def test_a_lifted_ban_is_no_longer_in_force_and_the_lift_is_logged(world, manager):
    ban = add_ban(manager)
    services.lift_ban(ban=ban, by=world.users[Role.ASSOCIATION_ADMIN], reason="复议撤销原决定")
    assert selectors.ban_in_force(BANNED) is None
    ban.refresh_from_db()
    assert ban.lifted_by == world.users[Role.ASSOCIATION_ADMIN]
    assert ban.lift_reason == "复议撤销原决定"
    entry = ActivityLog.objects.get(action="ban.lift")
    assert entry.before["lifted_at"] is None
    assert entry.after["lift_reason"] == "复议撤销原决定"
    with pytest.raises(ValidationError, match="已被解除"):
        services.lift_ban(ban=Ban.objects.get(pk=ban.pk), by=manager, reason="再次")
    assert ActivityLog.objects.filter(action="ban.lift").count() == 1


def test_lifting_needs_a_reason(manager):
    ban = add_ban(manager)
    with pytest.raises(ValidationError) as exc:
        services.lift_ban(ban=ban, by=manager, reason="  ")
    assert exc.value.message_dict["reason"] == ["请写明解除原因"]
    assert selectors.ban_in_force(BANNED) == ban


def test_an_invalid_uscc_is_refused_in_chinese(manager):
    wrong_check = BANNED[:17] + ("0" if BANNED[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        add_ban(manager, uscc=wrong_check)
    assert exc.value.message_dict["uscc"] == ["统一社会信用代码校验位不正确，请核对"]
    with pytest.raises(ValidationError) as exc:
        add_ban(manager, uscc="12345")
    assert exc.value.message_dict["uscc"] == ["统一社会信用代码应为18位"]
    assert not Ban.objects.exists()


def test_an_overlapping_ban_is_not_recorded_twice(manager):
    add_ban(manager)
    with pytest.raises(ValidationError, match="已在禁止申报期内"):
        add_ban(manager, decided_on=date(2027, 1, 1))
    assert Ban.objects.count() == 1


def test_only_managers_see_and_add_bans(world, manager):
    add_ban(manager)
    assert selectors.bans(manager).count() == 1
    for role in (Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER):
        assert not selectors.bans(world.users[role]).exists()
        with pytest.raises(PermissionDenied):
            add_ban(world.users[role], uscc=make_uscc("91440100MD0000002"))


# --- open for whom ----------------------------------------------------------------------


def test_open_while_published_inside_the_window_and_the_category_is_open(world, campaign):
    enterprise = world.enterprise
    assert selectors.is_open_for(campaign, enterprise, Category.BRAND)
    assert not selectors.is_open_for(campaign, enterprise, Category.BRAND, at=OPENS - timedelta(1))
    assert not selectors.is_open_for(campaign, enterprise, Category.BRAND, at=CLOSES)
    campaign.categories.filter(category=Category.BRAND).update(is_open=False)
    assert not selectors.is_open_for(campaign, enterprise, Category.BRAND)
    assert selectors.is_open_for(campaign, enterprise, Category.PRODUCT)


def test_a_closed_campaign_is_shut_at_once(manager, world, campaign):
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    assert not selectors.is_open_for(campaign, world.enterprise, Category.BRAND, at=NOW)


def test_reopening_lets_one_applicant_in_for_one_category_until_its_end(
    world, manager, campaign, time_machine
):
    time_machine.move_to(CLOSES + timedelta(days=2), tick=False)
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    until = CLOSES + timedelta(days=5)
    reopening = services.reopen_for_applicant(
        campaign=campaign,
        organisation=world.enterprise,
        category=Category.PRODUCT,
        until=until,
        reason="用户名单附件损坏，需重新上传",
        by=manager,
    )
    assert selectors.is_open_for(campaign, world.enterprise, Category.PRODUCT)
    assert not selectors.is_open_for(campaign, world.enterprise, Category.BRAND)
    assert not selectors.is_open_for(campaign, world.other_enterprise, Category.PRODUCT)
    assert not selectors.is_open_for(campaign, world.enterprise, Category.PRODUCT, at=until)
    entry = ActivityLog.objects.get(action="campaign.reopen_for_applicant")
    assert entry.note == "用户名单附件损坏，需重新上传"
    assert entry.organisation == world.enterprise
    assert entry.object_id == str(reopening.pk)
    mails = OutboxMessage.objects.filter(template="campaign_reopening")
    assert {m.to for m in mails} == {world.users[Role.ENTERPRISE_USER].email, world.colleague.email}
    mail = mails.get(to=world.colleague.email)
    assert "2027年1月5日 23:59" in mail.body_text
    assert "用户名单附件损坏" in mail.body_text
    # Once archived, nothing is open any more, reopening or not.
    services.move_campaign(campaign=campaign, to=S.ARCHIVED, by=manager)
    assert not selectors.is_open_for(campaign, world.enterprise, Category.PRODUCT)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"reason": " "}, "reason", "请写明单独开放的原因"),
        ({"until": NOW - timedelta(hours=1)}, "until", "开放截止时间应晚于当前时间"),
        ({"category": "engineering"}, "category", "该类别本年度未开放申报"),
    ],
)
def test_reopening_is_refused_with_reasons(world, manager, campaign, change, field, message):
    campaign.categories.filter(category=Category.ENGINEERING).update(is_open=False)
    args = {
        "campaign": campaign,
        "organisation": world.enterprise,
        "category": Category.BRAND,
        "until": NOW + timedelta(days=3),
        "reason": "补交材料",
        "by": manager,
    }
    with pytest.raises(ValidationError) as exc:
        services.reopen_for_applicant(**(args | change))
    assert exc.value.message_dict[field] == [message]
    assert not Reopening.objects.exists()


def test_no_reopening_for_a_banned_enterprise_or_a_draft(world, manager, campaign, draft):
    add_ban(manager, uscc=world.enterprise.uscc, organisation_name=world.enterprise.name)
    args = {
        "organisation": world.enterprise,
        "category": Category.BRAND,
        "until": NOW + timedelta(days=3),
        "reason": "补交材料",
        "by": manager,
    }
    with pytest.raises(ValidationError, match="禁止申报期内"):
        services.reopen_for_applicant(campaign=campaign, **args)
    with pytest.raises(ValidationError, match="只有已发布或已截止"):
        services.reopen_for_applicant(campaign=draft, **args)
    assert not Reopening.objects.exists()


# --- what people see ----------------------------------------------------------------------


def test_drafts_are_seen_by_programme_staff_only(world, campaign, draft):
    for role in (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF):
        assert set(selectors.visible_campaigns(world.users[role])) == {campaign, draft}
    for role in (Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT, Role.SURVEYOR):
        assert list(selectors.visible_campaigns(world.users[role])) == [campaign]
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.visible_campaigns(AnonymousUser())) == [campaign]


def test_a_closed_campaign_stays_current_until_another_opens(manager, campaign, draft):
    assert selectors.current_campaign() == campaign
    services.move_campaign(campaign=campaign, to=S.CLOSED, by=manager)
    # The last one that closed, said as such (see test_current_campaign.py); never a draft.
    assert selectors.current_campaign() == campaign
    assert selectors.current_campaign_state().state == "closed"


def test_my_bans_names_the_users_banned_enterprise(world, manager):
    add_ban(manager, uscc=world.enterprise.uscc, organisation_name=world.enterprise.name)
    colleague_org = OrganisationFactory()
    other = MembershipFactory(organisation=colleague_org, role=Role.ENTERPRISE_USER).user
    assert [o for o, _b in selectors.my_bans(world.users[Role.ENTERPRISE_USER])] == [
        world.enterprise
    ]
    assert selectors.my_bans(other) == []
