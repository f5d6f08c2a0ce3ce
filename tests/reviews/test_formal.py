"""The committee's formal review: the checklist, the one deficiency notice, its completion,
acceptance (starting the survey) and rejection, and the opinion in the PDF's 审核意见 box."""

import datetime
import subprocess

import pytest
from django.core import mail  # noqa: F401 - the outbox is checked through OutboxMessage
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.documents.pdf import application_pdf
from manyi.applications.states import Status
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.formal import services
from manyi.reviews.formal.checklist import checklist, missing_items
from manyi.reviews.models import DeficiencyNotice, FormalReview
from tests.fieldwork.sampling_helpers import published
from tests.reviews.factories import after_recommendation

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def applicant(world):
    return world.users[Role.ENTERPRISE_USER]


def test_the_checklist_names_each_missing_thing(world):
    application = after_recommendation(world, "engineering", customers=5)
    items = {item.code: item for item in checklist(application)}
    assert not items["confirmation"].ok  # nothing was frozen with the submission
    assert not items["customers"].ok
    assert "5 个用户" in items["customers"].details[0]
    assert not items["appraisal"].ok  # engineering: no client appraisal received
    assert not items["evidence"].ok
    texts = [m["text"] for m in missing_items(application)]
    assert any("续表4-4" in t for t in texts)
    # A brand application has no appraisal item at all.
    brand = after_recommendation(world, "brand")
    assert "appraisal" not in {i.code for i in checklist(brand)}


def test_the_notice_is_given_once_with_every_item_and_a_deadline(world):
    application = after_recommendation(world)
    items = missing_items(application) + [{"code": "other", "text": "请补充近三年投诉统计。"}]
    notice = services.issue_deficiency_notice(
        application=application, by=staff(world), items=items, note="请一并补正"
    )
    application.refresh_from_db()
    assert application.status == Status.DEFICIENT
    assert notice.deadline == timezone.localdate() + datetime.timedelta(days=10)
    assert len(notice.items) == len(items)
    body = OutboxMessage.objects.filter(template="deficiency_notice").first().body_text
    assert "请补充近三年投诉统计。" in body and "一次性告知" in body
    assert ActivityLog.objects.filter(action="review.notice").exists()
    # Once only, whatever happens next.
    with pytest.raises(ValidationError):
        services.issue_deficiency_notice(application=application, by=staff(world), items=items)
    assert DeficiencyNotice.objects.count() == 1


def test_an_empty_notice_is_refused_and_nothing_changes(world):
    application = after_recommendation(world)
    with pytest.raises(ValidationError, match="至少列出一项"):
        services.issue_deficiency_notice(
            application=application, by=staff(world), items=[{"text": "  "}]
        )
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not DeficiencyNotice.objects.exists()


def test_the_applicant_completes_once_and_staff_then_accept(world):
    application = after_recommendation(world)
    services.issue_deficiency_notice(
        application=application, by=staff(world), items=[{"text": "缺检验报告"}]
    )
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="请说明"):
        services.complete_notice(application=application, by=applicant(world), reply="")
    services.complete_notice(application=application, by=applicant(world), reply="已上传检验报告")
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    with pytest.raises(ValidationError):
        services.complete_notice(application=application, by=applicant(world), reply="再交一次")
    services.accept_application(
        application=application, by=staff(world), opinion="材料齐全，同意受理"
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED


def test_only_the_applicant_completes_and_not_after_the_deadline(world):
    application = after_recommendation(world)
    services.issue_deficiency_notice(
        application=application, by=staff(world), items=[{"text": "x"}]
    )
    application.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.complete_notice(application=application, by=world.outsider, reply="我来补")
    DeficiencyNotice.objects.update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError, match="补正期限已于"):
        services.complete_notice(application=application, by=applicant(world), reply="迟到了")
    # Staff may then reject it.
    services.reject_application(application=application, by=staff(world), opinion="逾期未补正")
    application.refresh_from_db()
    assert application.status == Status.REJECTED


def test_accepting_with_a_firm_starts_the_survey_and_the_opinion_is_written_once(world):
    application = after_recommendation(world, "brand", customers=60)
    published(world, "brand")
    today = timezone.localdate()
    services.accept_application(
        application=application,
        by=staff(world),
        opinion="同意受理",
        firm=world.survey_firm,
        field_opens=today,
        field_closes=today + datetime.timedelta(days=20),
    )
    application.refresh_from_db()
    assert application.status == Status.ACCEPTED
    assert application.surveys.get().firm == world.survey_firm
    review = FormalReview.objects.get(application=application)
    assert review.opinion == "同意受理" and review.outcome == "accepted"
    with pytest.raises(ValidationError):
        services.reject_application(application=application, by=staff(world), opinion="改主意")
    assert FormalReview.objects.get(application=application).opinion == "同意受理"


def test_a_refused_survey_assignment_leaves_the_application_unaccepted(world):
    application = after_recommendation(world, "brand", customers=0)  # no customer list
    published(world, "brand")
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        services.accept_application(
            application=application,
            by=staff(world),
            opinion="同意受理",
            firm=world.survey_firm,
            field_opens=today,
            field_closes=today + datetime.timedelta(days=20),
        )
    application.refresh_from_db()
    assert application.status == Status.RECOMMENDED
    assert not FormalReview.objects.filter(opinion_at__isnull=False).exists()


def test_rejection_needs_reasons_and_tells_the_applicant(world):
    application = after_recommendation(world)
    with pytest.raises(ValidationError, match="理由"):
        services.reject_application(application=application, by=staff(world), opinion=" ")
    services.reject_application(
        application=application, by=staff(world), opinion="评价意见签字人为本单位员工"
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    status_mail = OutboxMessage.objects.filter(template="application_status").last()
    assert "评价意见签字人为本单位员工" in status_mail.body_text


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.EXPERT])
def test_others_may_not_review(world, role):
    application = after_recommendation(world)
    with pytest.raises(PermissionDenied):
        services.accept_application(application=application, by=world.users[role], opinion="好")


def test_the_pdf_prints_the_opinion_in_the_review_box(world, tmp_path):
    application = after_recommendation(world)
    before = _pdf_text(application_pdf(application), tmp_path)
    assert "此栏由省用户委员会填写" in before
    services.accept_application(
        application=application, by=staff(world), opinion="经形式审查材料齐全同意受理"
    )
    application.refresh_from_db()
    after = _pdf_text(application_pdf(application), tmp_path)
    assert "经形式审查材料齐全同意受理" in after
    assert "广州市用户委员会" in after


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return "".join(out.decode().split())


def test_the_review_page_and_the_applicant_panel(world, client_for):
    application = after_recommendation(world)
    page = client_for(Role.COMMITTEE_STAFF).get(f"/reviews/{application.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "发出补正通知" in html and "data-accept-form" in html
    # A ticked item comes back as its words (see formal.views.formal_notice).
    first = missing_items(application)[0]["text"]
    response = client_for(Role.COMMITTEE_STAFF).post(
        f"/reviews/{application.pk}/formal/notice/", {"item": [first], "extra": "补充检验报告"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DEFICIENT
    assert DeficiencyNotice.objects.get().items[0]["text"] == first
    panel = client_for(Role.ENTERPRISE_USER).get(f"/applications/{application.pk}/")
    assert "补充检验报告" in panel.content.decode()
    assert "补正完成，重新提交" in panel.content.decode()
    client_for(Role.ENTERPRISE_USER).post(
        f"/reviews/{application.pk}/formal/complete/", {"reply": "已补充"}
    )
    application.refresh_from_db()
    assert application.status == Status.COMPLETED
    # The work department reads the page without any button.
    html = client_for(Role.WORKDEPT_STAFF).get(f"/reviews/{application.pk}/").content.decode()
    assert "data-accept-form" not in html and "已补充" in html


def test_the_deficiency_reminder_is_sent_once(world):
    application = after_recommendation(world)
    services.issue_deficiency_notice(
        application=application, by=staff(world), items=[{"text": "x"}]
    )
    DeficiencyNotice.objects.update(deadline=timezone.localdate() + datetime.timedelta(days=1))
    assert services.remind_deficiencies() == 1
    sent = OutboxMessage.objects.filter(template="deficiency_reminder").count()
    assert sent == 2  # the applicant's two users
    assert services.remind_deficiencies() == 0
    assert OutboxMessage.objects.filter(template="deficiency_reminder").count() == sent
