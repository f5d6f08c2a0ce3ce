"""The formal review beyond the main path: each checklist item on its own, staff's notes, stale
and bad input on the staff's forms, editing while 待补正 after the campaign closed, the
dashboard and the reminder's timetable."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications import access as application_access
from manyi.applications.models import AttachmentKind, ClientAppraisal, ConfirmationVersion
from manyi.applications.services import freeze_submission
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import Survey
from manyi.reviews import dashboard
from manyi.reviews.formal import services
from manyi.reviews.formal.checklist import checklist, missing_items
from manyi.reviews.models import DeficiencyNotice, FormalReview
from tests.applications.helpers import complete_application
from tests.fieldwork.sampling_helpers import published
from tests.reviews.factories import after_recommendation

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def complete(world, category="brand"):
    """A recommended application with everything the checklist asks, frozen as submitted."""
    application = after_recommendation(world, category, customers=0)
    complete_application(application)
    freeze_submission(application=application, by=application.created_by)
    application.save(update_fields=["confirmation_version", "submitted_details"])
    return application


def results(application) -> dict:
    return {item.code: item for item in checklist(application)}


# --- the checklist, item by item --------------------------------------------------------------


def test_a_complete_application_passes_every_item(world):
    items = results(complete(world, "engineering"))
    assert set(items) == {
        "confirmation",
        "form",
        "materials",
        "evidence",
        "signed_scans",
        "customers",
        "appraisal",
    }
    assert [code for code, item in items.items() if not item.ok] == []


def _no_form(a):
    a.form_data = {}
    a.save()


def _short_measures(a):
    a.measures = "太短的材料。"
    a.save()


def _no_evidence(a):
    a.attachments.filter(kind=AttachmentKind.TRADEMARK).delete()


def _no_signed_form(a):
    a.attachments.filter(kind=AttachmentKind.SIGNED_FORM).delete()


def _too_few_customers(a):
    CampaignCategory.objects.filter(campaign=a.campaign, category=a.category).update(
        minimum_customers=31
    )


def _unsigned_confirmation(a):
    ConfirmationVersion.objects.filter(pk=a.confirmation_version_id).update(signer="")


def _category_not_ticked(a):
    ConfirmationVersion.objects.filter(pk=a.confirmation_version_id).update(
        data={"categories": ["service"]}
    )


def _appraisal_not_received(a):
    ClientAppraisal.objects.filter(application=a).update(submitted_at=None)


@pytest.mark.parametrize(
    ("category", "breaks", "code", "words"),
    [
        ("brand", _no_form, "form", "附件4-1"),
        ("brand", _short_measures, "materials", "应不少于 2500 字"),
        ("brand", _no_evidence, "evidence", "商标注册批准文件"),
        ("brand", _no_signed_form, "signed_scans", "签字盖章的申请表扫描件"),
        ("brand", _too_few_customers, "customers", "只有 30 个用户，至少需要 31 个"),
        ("brand", _unsigned_confirmation, "confirmation", "负责人签署"),
        ("brand", _category_not_ticked, "confirmation", "未勾选"),
        ("engineering", _appraisal_not_received, "appraisal", "续表4-4"),
    ],
)
def test_each_missing_thing_fails_its_own_item_and_says_what(world, category, breaks, code, words):
    application = complete(world, category)
    breaks(application)
    application.refresh_from_db()
    items = results(application)
    failing = [c for c, item in items.items() if not item.ok]
    assert failing == [code]
    assert any(words in detail for detail in items[code].details)
    # The notice's proposal lists exactly what is missing, in those words.
    assert [m["code"] for m in missing_items(application)] == [code] * len(items[code].details)


def test_a_service_application_asks_no_evidence(world):
    assert results(complete(world, "service"))["evidence"].ok


# --- staff's notes ------------------------------------------------------------------------------


def test_staff_notes_are_kept_with_the_computed_result(world):
    application = complete(world)
    _too_few_customers(application)
    review = services.record_checks(
        application=application,
        by=staff(world),
        checks={"customers": "  已电话核实名单  ", "form": "", "materials": "字数已核对"},
    )
    assert review.checks == {
        "customers": {"ok": False, "note": "已电话核实名单"},
        "materials": {"ok": True, "note": "字数已核对"},
    }
    noted = {item.code: item.note for item in checklist(application, review.checks)}
    assert noted["customers"] == "已电话核实名单"
    entry = ActivityLog.objects.get(action="review.checks")
    assert entry.after["checks"]["customers"]["note"] == "已电话核实名单"


def test_an_unknown_item_or_a_reader_is_refused_and_nothing_is_written(world):
    application = after_recommendation(world)
    with pytest.raises(ValidationError, match="未知的审查项目"):
        services.record_checks(application=application, by=staff(world), checks={"bogus": "x"})
    with pytest.raises(PermissionDenied):
        services.record_checks(
            application=application,
            by=world.users[Role.WORKDEPT_STAFF],
            checks={"form": "x"},
        )
    assert not FormalReview.objects.exists()
    assert not ActivityLog.objects.filter(action="review.checks").exists()


def test_the_checks_form_saves_each_note(world, client_for):
    application = after_recommendation(world)
    response = client_for(Role.COMMITTEE_STAFF).post(
        f"/reviews/{application.pk}/formal/checks/", {"note-evidence": "商标证书已核对原件"}
    )
    assert response.status_code == 302
    assert FormalReview.objects.get().checks["evidence"]["note"] == "商标证书已核对原件"
    page = client_for(Role.COMMITTEE_STAFF).get(f"/reviews/{application.pk}/").content.decode()
    assert 'value="商标证书已核对原件"' in page


# --- the staff's forms: stale and bad input ---------------------------------------------------


def test_a_stale_tick_is_dropped_and_an_empty_notice_changes_nothing(world, client_for):
    application = after_recommendation(world)
    response = client_for(Role.COMMITTEE_STAFF).post(
        f"/reviews/{application.pk}/formal/notice/",
        {"item": ["一项页面打开后已补齐的内容"], "extra": "  "},
        follow=True,
    )
    assert "请至少列出一项需补正的内容" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not DeficiencyNotice.objects.exists()


def test_the_work_department_may_read_but_not_act(world, client_for):
    application = after_recommendation(world)
    client = client_for(Role.WORKDEPT_STAFF)
    for act in ("checks", "notice", "accept", "reject"):
        response = client.post(
            f"/reviews/{application.pk}/formal/{act}/", {"opinion": "好", "extra": "x"}
        )
        assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not FormalReview.objects.exists()


def test_survey_dates_without_a_firm_are_refused(world):
    application = after_recommendation(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="请选择第三方调查机构"):
        services.accept_application(
            application=application, by=staff(world), opinion="同意受理", field_opens=today
        )
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not FormalReview.objects.exists()


def test_reversed_field_dates_on_the_accept_form_change_nothing(world, client_for):
    application = after_recommendation(world, customers=60)
    published(world, "brand")
    today = timezone.localdate()
    response = client_for(Role.COMMITTEE_STAFF).post(
        f"/reviews/{application.pk}/formal/accept/",
        {
            "opinion": "同意受理",
            "firm": world.survey_firm.pk,
            "field_opens": (today + datetime.timedelta(days=10)).isoformat(),
            "field_closes": today.isoformat(),
        },
        follow=True,
    )
    assert "调查截止日期不能早于开始日期" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not FormalReview.objects.filter(opinion_at__isnull=False).exists()
    assert not Survey.objects.exists()


def test_the_accept_form_gives_the_survey_to_the_firm(world, client_for):
    application = after_recommendation(world, customers=60)
    published(world, "brand")
    today = timezone.localdate()
    client_for(Role.COMMITTEE_STAFF).post(
        f"/reviews/{application.pk}/formal/accept/",
        {
            "opinion": "材料齐全，同意受理",
            "firm": world.survey_firm.pk,
            "field_opens": today.isoformat(),
            "field_closes": (today + datetime.timedelta(days=20)).isoformat(),
        },
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert Survey.objects.get().application == application
    assert ActivityLog.objects.filter(action="review.accepted").exists()


# --- the applicant while 待补正 -----------------------------------------------------------------


def _close(campaign):
    campaign.closes_at = timezone.now() - datetime.timedelta(days=1)
    campaign.save(update_fields=["closes_at"])


def test_a_deficient_application_stays_editable_after_the_campaign_closed(world, client_for):
    application = after_recommendation(world)
    services.issue_deficiency_notice(
        application=application, by=staff(world), items=[{"text": "请补充概况"}]
    )
    _close(application.campaign)
    application.refresh_from_db()
    user = world.users[Role.ENTERPRISE_USER]
    assert application_access.EDIT.allows(user, application)
    assert application_access.UPLOAD_CUSTOMER_LIST.allows(user, application)
    # It completes the notice; it does not go back to the agency.
    assert not application_access.SUBMIT.allows(user, application)
    response = client_for(Role.ENTERPRISE_USER).post(
        f"/applications/{application.pk}/materials/",
        {"profile": "补正后的企业概况。", "products": "", "measures": "", "outlook": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.profile == "补正后的企业概况。"
    page = client_for(Role.ENTERPRISE_USER).get(f"/applications/{application.pk}/")
    assert "提交至推荐单位" not in page.content.decode()


def test_other_states_stay_closed_with_the_campaign(world):
    application = after_recommendation(world, status=Status.RETURNED)
    _close(application.campaign)
    application.refresh_from_db()
    assert not application_access.EDIT.allows(world.users[Role.ENTERPRISE_USER], application)


def test_a_notice_rejected_before_completion_shows_no_deadline_warning(world, client_for):
    application = after_recommendation(world)
    services.issue_deficiency_notice(
        application=application, by=staff(world), items=[{"text": "请补充概况"}]
    )
    application.refresh_from_db()
    services.reject_application(application=application, by=staff(world), opinion="不符合条件")
    html = client_for(Role.ENTERPRISE_USER).get(f"/applications/{application.pk}/")
    html = html.content.decode()
    assert "请补充概况" in html
    assert "data-deadline-passed" not in html
    assert "补正完成，重新提交" not in html


# --- dashboard and timetable -------------------------------------------------------------------


def test_the_dashboard_counts_each_step_and_links_the_filtered_list(world):
    first = after_recommendation(world)
    after_recommendation(world, "product")
    after_recommendation(world, "service", status=Status.COMPLETED)
    services.issue_deficiency_notice(application=first, by=staff(world), items=[{"text": "x"}])
    panels = dashboard.panels(staff(world))
    by_title = {str(p["title"]): p for p in panels}
    assert by_title["待形式审查"]["count"] == 1
    assert "status=recommended" in by_title["待形式审查"]["url"]
    assert any("待申报单位补正" in item for item in by_title["待形式审查"]["items"])
    assert by_title["已补正，待审核"]["count"] == 1
    assert "status=completed" in by_title["已补正，待审核"]["url"]
    assert by_title["已受理，评价中"]["count"] == 0
    # The work department and the applicant get none of these.
    assert dashboard.panels(world.users[Role.WORKDEPT_STAFF]) == []
    assert dashboard.panels(world.users[Role.ENTERPRISE_USER]) == []


def test_the_reminder_is_on_the_workers_timetable():
    from manyi.portal.timetable import wanted_schedules

    entry = next(e for e in wanted_schedules() if e["name"] == "reviews.remind_deficiencies")
    assert entry["func"] == "manyi.reviews.tasks.remind_deficiencies"
    assert entry["schedule_type"] == "D"
