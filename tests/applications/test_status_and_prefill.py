"""One source for the organisation's details (附件2 fills the profile, the profile fills the
forms), what is done and not done, and the resubmission deadline after 退回修改."""

from datetime import timedelta

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications import services
from manyi.applications.agency.services import recommend
from manyi.applications.forms.prefill import prefilled_form_data
from manyi.applications.models import Application, Confirmation
from manyi.applications.states import Status
from manyi.applications.submission import part_status, submission_problems
from manyi.campaigns.models import CampaignCategory
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import complete_application, make_application, open_campaign

pytestmark = pytest.mark.django_db

CONFIRMATION_DATA = {
    "categories": ["brand", "product"],
    "name": "别的名称有限公司",
    "contact_department": "品质保证部",
    "phone": "020-83331234",
    "fax": "020-83335678",
    "ownership": "有限责任公司",
    "employees": 860,
    "trademark": "珠江牌",
}


def _save_confirmation(world, data=None, *, signer="梁总"):
    campaign = open_campaign(agencies=[world.agency])
    return services.save_confirmation(
        by=world.users[Role.ENTERPRISE_USER],
        campaign=campaign,
        organisation=world.enterprise,
        data=dict(CONFIRMATION_DATA if data is None else data),
        signer=signer,
        signed_on=timezone.localdate(),
    )


# --- 附件2 fills the profile -----------------------------------------------------------------


def test_confirmation_copies_the_organisation_details_to_the_profile(world):
    _save_confirmation(world)
    world.enterprise.refresh_from_db()
    assert world.enterprise.contact_department == "品质保证部"
    assert world.enterprise.phone == "020-83331234"
    assert world.enterprise.fax == "020-83335678"
    assert world.enterprise.ownership == "有限责任公司"
    assert world.enterprise.employees == 860


def test_the_registered_name_is_not_changed_by_the_confirmation(world):
    _save_confirmation(world)
    world.enterprise.refresh_from_db()
    assert world.enterprise.name == "珠江家电有限公司"


def test_the_copy_is_logged_as_a_profile_change(world):
    _save_confirmation(world)
    log = ActivityLog.objects.get(action="organisation.update")
    assert log.actor == world.users[Role.ENTERPRISE_USER]
    assert log.before["phone"] == ""
    assert log.after["phone"] == "020-83331234"


def test_empty_or_refused_values_leave_the_profile_as_it_was(world):
    world.enterprise.fax = "020-81112222"
    world.enterprise.save()
    _save_confirmation(world, {"categories": ["brand"], "phone": "不是电话"})
    world.enterprise.refresh_from_db()
    assert world.enterprise.fax == "020-81112222"
    assert world.enterprise.phone == ""
    assert Confirmation.objects.get().data["phone"] == "不是电话"


def test_dashboard_stops_asking_for_what_the_confirmation_gave(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert "办公电话" in client.get("/dashboard/").content.decode()
    _save_confirmation(world)
    text = client.get("/dashboard/").content.decode()
    assert "办公电话" not in text
    assert "所有制形式" not in text
    assert "职工人数" not in text


# --- the profile and 附件2 fill the application forms -----------------------------------------


def test_a_new_application_form_starts_from_what_the_confirmation_gave(world):
    _save_confirmation(world)
    world.enterprise.agency_memberships.update(confirmed_at=timezone.now())
    application = services.start_application(
        by=world.users[Role.ENTERPRISE_USER],
        organisation=world.enterprise,
        campaign=open_campaign(),
        category="product",
    )
    assert application.form_data["contact_department"] == "品质保证部"
    assert application.form_data["phone"] == "020-83331234"
    assert application.form_data["fax"] == "020-83335678"
    assert application.form_data["trademark"] == "珠江牌"


def test_the_brand_form_starts_from_the_registered_trademark(world):
    data = prefilled_form_data("brand", world.enterprise, CONFIRMATION_DATA)
    assert data["brand_name"] == "珠江牌"


def test_confirmation_data_fills_what_the_profile_lacks_but_the_profile_wins(world):
    world.enterprise.contact_department = "质量部"
    data = prefilled_form_data("service", world.enterprise, CONFIRMATION_DATA)
    assert data["contact_department"] == "质量部"
    assert data["fax"] == "020-83335678"


def test_latest_confirmation_of_another_year_is_used_when_this_year_has_none(world):
    from manyi.campaigns.models import Campaign, CampaignStatus

    _save_confirmation(world)
    this_year = open_campaign()
    next_year = Campaign.objects.create(
        year=this_year.year + 1,
        title="下一年",
        status=CampaignStatus.DRAFT,
        opens_at=this_year.opens_at,
        closes_at=this_year.closes_at,
    )
    assert services.latest_confirmation_data(world.enterprise, next_year)["trademark"] == "珠江牌"


# --- done and not done ---------------------------------------------------------------------


def _page(client, user, url) -> str:
    client.force_login(user)
    return client.get(url).content.decode()


def test_list_shows_the_confirmation_signed_and_its_categories(world, client):
    _save_confirmation(world)
    page = _page(client, world.users[Role.ENTERPRISE_USER], "/applications/")
    part = page[page.index('data-part="confirmation"') :]
    assert "已签署" in part[:300]
    assert "已勾选：用户满意品牌、用户满意产品" in part[:600]


def test_list_shows_an_unsigned_confirmation(world, client):
    _save_confirmation(world, signer="")
    page = _page(client, world.users[Role.ENTERPRISE_USER], "/applications/")
    part = page[page.index('data-part="confirmation"') :][:300]
    assert "未签署" in part


def test_part_status_follows_the_submission_checks(world):
    application = make_application(world, "brand")
    parts = {p["key"]: p for p in part_status(application)}
    assert list(parts)[:3] == ["confirmation", "form", "materials"]
    assert "appraisal" not in parts  # 续表4-4 is for engineering only
    assert not parts["customers"]["done"]
    assert parts["customers"]["problems"] == ["请上传用户名单（附件3）"]
    complete_application(application)
    assert all(p["done"] for p in part_status(application))
    assert submission_problems(application) == []


def test_engineering_has_the_client_appraisal_part(world):
    application = complete_application(make_application(world, "engineering"))
    parts = {p["key"]: p for p in part_status(application)}
    assert parts["appraisal"]["done"]
    application.client_appraisal.delete()
    application = Application.objects.get(pk=application.pk)
    parts = {p["key"]: p for p in part_status(application)}
    assert not parts["appraisal"]["done"]


def test_detail_page_shows_done_and_not_done(world, client):
    application = make_application(world, "brand")
    complete_application(application)
    application.customer_lists.all().delete()
    page = _page(client, world.users[Role.ENTERPRISE_USER], f"/applications/{application.pk}/")
    form = page[page.index('data-part="form"') :][:300]
    customers = page[page.index('data-part="customers"') :][:300]
    assert "已完成" in form
    assert "未完成" in customers


# --- 退回修改: a deadline and a reminder -----------------------------------------------------


def _returned(world, *, days=7):
    application = complete_application(make_application(world, "brand"))
    CampaignCategory.objects.filter(campaign=application.campaign, category="brand").update(
        resubmission_days=days
    )
    services.submit_application(application=application, by=world.users[Role.ENTERPRISE_USER])
    recommend(
        application=Application.objects.get(pk=application.pk),
        by=world.users[Role.AGENCY_STAFF],
        decision="return",
        opinion="请补充用户名单中的联系人",
        signer="陈志明",
        signed_on=timezone.localdate(),
    )
    return Application.objects.get(pk=application.pk)


def test_returning_sets_the_deadline_from_the_category_setting(world):
    application = _returned(world, days=7)
    assert application.status == Status.RETURNED
    assert application.resubmit_by == timezone.localdate() + timedelta(days=7)


def test_the_return_email_says_the_deadline(world):
    application = _returned(world, days=7)
    d = application.resubmit_by
    message = OutboxMessage.objects.filter(
        to=world.users[Role.ENTERPRISE_USER].email, template="application_status"
    ).latest("pk")
    assert f"并于 {d.year}年{d.month}月{d.day}日 前重新提交" in message.body_text


def test_the_detail_page_shows_the_deadline(world, client):
    application = _returned(world, days=7)
    d = application.resubmit_by
    page = _page(client, world.users[Role.ENTERPRISE_USER], f"/applications/{application.pk}/")
    assert f"请修改后于 {d.year}年{d.month}月{d.day}日 前重新提交" in page


def test_reminder_goes_two_days_before_the_deadline_once(world):
    application = _returned(world, days=2)
    sent_before = OutboxMessage.objects.count()
    assert services.remind_resubmissions() == 1
    application.refresh_from_db()
    assert application.resubmit_reminded_at is not None
    reminders = OutboxMessage.objects.filter(template="application_resubmit_reminder")
    assert {m.to for m in reminders} == {
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
    }
    assert OutboxMessage.objects.count() == sent_before + 2
    assert ActivityLog.objects.filter(action="application.resubmit_reminder").count() == 1
    assert services.remind_resubmissions() == 0


def test_no_reminder_while_the_deadline_is_far_or_past(world):
    application = _returned(world, days=5)
    assert services.remind_resubmissions() == 0
    later = timezone.now() + timedelta(days=6)
    assert services.remind_resubmissions(now=later) == 0
    application.refresh_from_db()
    assert application.resubmit_reminded_at is None


def test_a_second_return_is_reminded_again(world):
    application = _returned(world, days=1)
    services.remind_resubmissions()
    services.submit_application(application=application, by=world.users[Role.ENTERPRISE_USER])
    recommend(
        application=Application.objects.get(pk=application.pk),
        by=world.users[Role.AGENCY_STAFF],
        decision="return",
        opinion="仍需补充",
        signer="陈志明",
        signed_on=timezone.localdate(),
    )
    assert services.remind_resubmissions() == 1


def test_the_reminder_is_scheduled_daily_by_migrate(db):
    from django_q.models import Schedule

    from manyi.portal.timetable import install_schedules

    # The test database was migrated: the schedule is there without anyone installing it.
    schedule = Schedule.objects.get(name="applications.remind_resubmissions")
    assert schedule.func == "manyi.applications.tasks.remind_resubmissions"
    assert schedule.schedule_type == Schedule.DAILY
    install_schedules()  # again, as every migrate does
    assert Schedule.objects.filter(name="applications.remind_resubmissions").count() == 1
