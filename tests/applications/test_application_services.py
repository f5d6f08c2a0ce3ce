"""The application's one door: submission checks everything at once, agencies decide once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.applications import services
from manyi.applications.agency import services as agency_services
from manyi.applications.models import Application, Recommendation
from manyi.applications.states import Status
from manyi.applications.submission import submission_problems
from manyi.campaigns.models import AgencyQuota, Ban
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import complete_application, make_application, open_campaign

pytestmark = pytest.mark.django_db


def owner(world):
    return world.users[Role.ENTERPRISE_USER]


def agency_staff(world):
    return world.users[Role.AGENCY_STAFF]


def test_start_prefills_and_refuses_a_second_in_the_same_category(world):
    campaign = open_campaign(agencies=[world.agency])
    world.enterprise.legal_representative = "梁振华"
    world.enterprise.save()
    application = services.start_application(
        by=owner(world), organisation=world.enterprise, campaign=campaign, category="brand"
    )
    assert application.status == Status.DRAFT
    assert application.form_data["legal_representative"] == "梁振华"
    with pytest.raises(ValidationError, match="已有该类别的有效申报"):
        services.start_application(
            by=owner(world), organisation=world.enterprise, campaign=campaign, category="brand"
        )
    with pytest.raises(PermissionDenied):
        services.start_application(
            by=world.outsider, organisation=world.enterprise, campaign=campaign, category="service"
        )


def test_a_withdrawn_draft_does_not_block_starting_again(world, client):
    campaign = open_campaign(agencies=[world.agency])
    first = services.start_application(
        by=owner(world), organisation=world.enterprise, campaign=campaign, category="brand"
    )
    services.withdraw_application(application=first, by=owner(world))
    client.force_login(owner(world))
    listing = client.get("/applications/").content.decode()
    assert "申报“用户满意品牌”" in listing
    again = services.start_application(
        by=owner(world), organisation=world.enterprise, campaign=campaign, category="brand"
    )
    assert again.status == Status.DRAFT
    assert again.pk != first.pk
    listing = client.get("/applications/").content.decode()
    assert "申报“用户满意品牌”" not in listing


def test_withdrawing_says_what_it_does(world, client):
    application = make_application(world, "brand")
    client.force_login(owner(world))
    detail = client.get(f"/applications/{application.pk}/").content.decode()
    assert "撤回后本申报不再有效，不能恢复；如需申报同一类别，可重新开始填写。确定撤回？" in detail


def test_a_banned_organisation_is_told_until_when(world):
    from datetime import date

    campaign = open_campaign()
    Ban.objects.create(
        uscc=world.enterprise.uscc,
        organisation_name=world.enterprise.name,
        reason="虚假材料",
        decided_on=date(2024, 1, 1),
        ends_on=date(2029, 1, 1),
    )
    with pytest.raises(ValidationError, match="2029年1月1日 之前不得申报"):
        services.start_application(
            by=owner(world), organisation=world.enterprise, campaign=campaign, category="brand"
        )


def test_submission_lists_every_missing_part_at_once(world):
    application = make_application(world, "engineering")
    problems = submission_problems(application)
    text = "\n".join(problems)
    for expected in (
        "活动确认表",
        "附件4-4",
        "企业概况",
        "优质工程文件",
        "用户名单",
        "建设单位",
        "推进机构尚未确认",
    ):
        assert expected in text, expected
    with pytest.raises(ValidationError):
        services.submit_application(application=application, by=owner(world))
    application.refresh_from_db()
    assert application.status == Status.DRAFT


@pytest.mark.parametrize("category", ["brand", "enterprise", "product", "engineering", "service"])
def test_a_complete_application_is_submitted_to_its_agency(
    world, category, django_capture_on_commit_callbacks
):
    application = complete_application(make_application(world, category))
    assert submission_problems(application) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(application=application, by=owner(world))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.agency == world.agency
    assert application.number.startswith(f"{application.campaign.year}-")
    assert application.submitted_at
    assert ActivityLog.objects.filter(
        action="application.submitted", object_id=str(application.pk)
    ).exists()
    recipients = set(OutboxMessage.objects.values_list("to", flat=True))
    assert owner(world).email in recipients
    assert agency_staff(world).email in recipients
    assert any("推荐单位审核中" in m.subject for m in mail.outbox)
    # Submitted: the forms are closed.
    with pytest.raises(ValidationError, match="不能修改"):
        services.save_materials(
            application=application,
            by=owner(world),
            profile="x",
            products="",
            measures="",
            outlook="",
        )


def test_form_checks_block_submission_with_the_seed_rules(world):
    application = complete_application(make_application(world, "product"))
    application.form_data["product_model"] = "KFR系列"
    application.save()
    assert any("系列" in p for p in submission_problems(application))
    application.form_data["product_model"] = "KFR-35GW"
    application.form_data.pop("market_share", None)
    application.save()
    problems = submission_problems(application)
    assert any("国内市场占有率" in p for p in problems)
    application.empty_reasons = {"market_share": "无权威统计数据"}
    application.save()
    assert not any("国内市场占有率" in p for p in submission_problems(application))


def test_materials_are_counted_as_a_chinese_reader_does(world):
    application = complete_application(make_application(world, "service"))
    application.measures = "用户满意" * 100
    application.save()
    assert any("只有 400 字，应不少于 2500 字" in p for p in submission_problems(application))


def test_agency_recommends_within_quota_and_decides_once(world):
    campaign = open_campaign(agencies=[world.agency], quota=1)
    first = make_application(world, "brand", campaign=campaign, status=Status.SUBMITTED)
    second = make_application(world, "service", campaign=campaign, status=Status.SUBMITTED)
    agency_services.recommend(
        application=first,
        by=agency_staff(world),
        decision="recommend",
        opinion="同意推荐",
        signer="陈志明",
        signed_on="2026-11-01",
    )
    first.refresh_from_db()
    assert first.status == Status.RECOMMENDED
    assert first.decided_at
    # No places at all in the category: said as such (not "used up 0/0"), naming no one else.
    AgencyQuota.objects.filter(campaign=campaign, category="service").delete()
    with pytest.raises(ValidationError, match="类别没有推荐名额"):
        agency_services.recommend(
            application=second,
            by=agency_staff(world),
            decision="recommend",
            opinion="同意",
            signer="陈",
            signed_on="2026-11-01",
        )
    second.refresh_from_db()
    assert second.status == Status.SUBMITTED
    assert Recommendation.objects.filter(application=second).count() == 0
    with pytest.raises(ValidationError, match="请刷新页面"):
        agency_services.recommend(
            application=first,
            by=agency_staff(world),
            decision="return",
            opinion="再看看",
            signer="陈",
            signed_on="2026-11-01",
        )


def test_return_and_resubmit(world):
    application = complete_application(make_application(world, "brand"))
    services.submit_application(application=application, by=owner(world))
    agency_services.recommend(
        application=application,
        by=agency_staff(world),
        decision="return",
        opinion="请补充近三年退赔数据",
        signer="陈志明",
        signed_on="2026-11-01",
    )
    application.refresh_from_db()
    assert application.status == Status.RETURNED
    assert application.applicant_status == "需修改后重新提交"
    services.save_materials(
        application=application,
        by=owner(world),
        profile=application.profile,
        products=application.products,
        measures=application.measures,
        outlook="已补充",
    )
    services.submit_application(application=application, by=owner(world))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED


def test_only_the_enterprises_own_agency_decides(world):
    application = make_application(world, "brand", status=Status.SUBMITTED)
    with pytest.raises(PermissionDenied):
        agency_services.recommend(
            application=application,
            by=world.other_agency_staff,
            decision="recommend",
            opinion="同意",
            signer="x",
            signed_on="2026-11-01",
        )
    with pytest.raises(PermissionDenied):
        services.move_application(application=application, to=Status.RECOMMENDED, by=owner(world))
    assert Application.objects.get(pk=application.pk).status == Status.SUBMITTED


def test_closed_campaign_refuses_changes(world):
    from datetime import timedelta

    from django.utils import timezone

    application = make_application(world, "brand")
    application.campaign.closes_at = timezone.now() - timedelta(minutes=1)
    application.campaign.save()
    with pytest.raises(ValidationError, match="申报已截止"):
        services.save_materials(
            application=application,
            by=owner(world),
            profile="x",
            products="",
            measures="",
            outlook="",
        )


def test_the_confirmation_form_is_closed_with_the_campaign(world):
    from datetime import timedelta

    from django.utils import timezone

    from manyi.applications.models import Confirmation

    campaign = open_campaign()
    services.save_confirmation(
        by=owner(world),
        campaign=campaign,
        organisation=world.enterprise,
        data={"categories": ["brand"]},
        signer="梁总",
        signed_on=timezone.localdate(),
    )
    campaign.closes_at = timezone.now() - timedelta(minutes=1)
    campaign.save()
    with pytest.raises(ValidationError, match="申报已截止"):
        services.save_confirmation(
            by=owner(world),
            campaign=campaign,
            organisation=world.enterprise,
            data={"categories": ["service"]},
            signer="别人",
            signed_on=timezone.localdate(),
        )
    assert Confirmation.objects.get().data == {"categories": ["brand"]}
