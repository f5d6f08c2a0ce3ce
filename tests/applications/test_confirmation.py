"""The signed 活动确认表 (附件2) an application is submitted with: frozen, locked, reopened by
staff only, read by everyone who may see the application, printed as submitted; the signed
and sealed scans; the applicant's details as submitted."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from manyi.accounts.roles import Role
from manyi.accounts.services import update_organisation
from manyi.applications import services
from manyi.applications.documents.pdf import application_context
from manyi.applications.models import Attachment, AttachmentKind, Confirmation
from manyi.applications.submission import submission_problems
from manyi.common.models import ActivityLog, OutboxMessage
from tests.applications.helpers import complete_application, make_application
from tests.applications.test_output import pdf_text

pytestmark = pytest.mark.django_db

LOCKED = "活动确认表已随申报提交并锁定"


def owner(world):
    return world.users[Role.ENTERPRISE_USER]


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def submitted(world, category="brand"):
    application = complete_application(make_application(world, category))
    services.submit_application(application=application, by=owner(world))
    application.refresh_from_db()
    return application


def confirmation_of(application) -> Confirmation:
    return Confirmation.objects.get(
        campaign=application.campaign, organisation=application.organisation
    )


def save(world, application, *, signer: str, categories=("brand", "service")):
    return services.save_confirmation(
        by=owner(world),
        campaign=application.campaign,
        organisation=application.organisation,
        data={"categories": list(categories)},
        signer=signer,
        signed_on=timezone.localdate(),
    )


# --- locking and versions ------------------------------------------------------------------


def test_submission_freezes_the_confirmation_as_a_version(world):
    application = submitted(world)
    version = application.confirmation_version
    assert version is not None
    assert version.number == 1
    assert version.signer == "梁总"
    assert version.data == confirmation_of(application).data
    assert version.organisation_name == world.enterprise.name


def test_submission_locks_the_confirmation_and_logs_it(world):
    application = submitted(world)
    assert confirmation_of(application).locked_at is not None
    log = ActivityLog.objects.get(action="confirmation.lock")
    assert log.after == {"version": 1, "signer": "梁总"}


def test_saving_a_locked_confirmation_is_refused(world):
    application = submitted(world)
    with pytest.raises(ValidationError, match=LOCKED):
        save(world, application, signer="何总")
    assert confirmation_of(application).signer == "梁总"


def test_the_applicant_s_edit_page_offers_no_save_while_locked(world, client):
    application = submitted(world)
    client.force_login(owner(world))
    page = client.get(reverse("applications:confirmation", args=[application.campaign.year]))
    content = page.content.decode()
    assert "data-confirmation-locked" in content
    assert "保存并签署" not in content


def test_reopening_needs_a_reason(world):
    application = submitted(world)
    with pytest.raises(ValidationError, match="原因"):
        services.reopen_confirmation(
            confirmation=confirmation_of(application), by=staff(world), reason="  "
        )
    assert confirmation_of(application).locked_at is not None
    assert not ActivityLog.objects.filter(action="confirmation.reopen").exists()


def test_reopening_unlocks_logs_the_reason_and_tells_the_applicant(
    world, django_capture_on_commit_callbacks
):
    application = submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.reopen_confirmation(
            confirmation=confirmation_of(application), by=staff(world), reason="职工人数填错"
        )
    assert confirmation_of(application).locked_at is None
    log = ActivityLog.objects.get(action="confirmation.reopen")
    assert log.note == "职工人数填错"
    assert log.actor == staff(world)
    recipients = set(
        OutboxMessage.objects.filter(template="confirmation_reopened").values_list("to", flat=True)
    )
    assert recipients == {owner(world).email, world.colleague.email}
    # Unlocked: the applicant may change it again.
    save(world, application, signer="何总")
    assert confirmation_of(application).signer == "何总"


@pytest.mark.parametrize("role", [Role.AGENCY_STAFF, Role.WORKDEPT_STAFF, Role.ENTERPRISE_USER])
def test_only_committee_staff_and_the_administrator_reopen(world, role):
    application = submitted(world)
    with pytest.raises(PermissionDenied):
        services.reopen_confirmation(
            confirmation=confirmation_of(application), by=world.users[role], reason="请修改"
        )
    assert confirmation_of(application).locked_at is not None


def test_reopening_an_unlocked_confirmation_is_refused(world):
    application = complete_application(make_application(world))
    with pytest.raises(ValidationError, match="未锁定"):
        services.reopen_confirmation(
            confirmation=confirmation_of(application),
            by=world.users[Role.ASSOCIATION_ADMIN],
            reason="请修改",
        )


def test_each_application_keeps_the_version_it_was_submitted_with(world):
    brand = complete_application(make_application(world, "brand"))
    service = complete_application(make_application(world, "service"))
    services.submit_application(application=brand, by=owner(world))
    services.reopen_confirmation(
        confirmation=confirmation_of(brand), by=staff(world), reason="更换负责人"
    )
    save(world, brand, signer="何总")
    services.submit_application(application=service, by=owner(world))
    brand.refresh_from_db()
    service.refresh_from_db()
    assert brand.confirmation_version.number == 1
    assert brand.confirmation_version.signer == "梁总"
    assert service.confirmation_version.number == 2
    assert service.confirmation_version.signer == "何总"
    assert confirmation_of(brand).versions.count() == 2


def test_an_unchanged_confirmation_reuses_its_version(world):
    brand = complete_application(make_application(world, "brand"))
    service = complete_application(make_application(world, "service"))
    services.submit_application(application=brand, by=owner(world))
    services.submit_application(application=service, by=owner(world))
    brand.refresh_from_db()
    service.refresh_from_db()
    assert service.confirmation_version == brand.confirmation_version
    assert confirmation_of(brand).versions.count() == 1


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    [Role.AGENCY_STAFF, Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF, Role.ENTERPRISE_USER],
)
def test_those_who_see_the_application_read_its_confirmation(world, client, role):
    application = submitted(world)
    client.force_login(world.users[role])
    response = client.get(reverse("applications:application_confirmation", args=[application.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "梁总" in content
    assert "随本申报提交的第 1 版" in content


def test_outsiders_do_not_find_the_confirmation(world, client):
    application = submitted(world)
    for user in (world.outsider, world.other_agency_staff):
        client.force_login(user)
        for name in ("application_confirmation", "application_confirmation_pdf", "form_view"):
            url = reverse(f"applications:{name}", args=[application.pk])
            assert client.get(url).status_code == 404, (user, name)


def test_only_committee_staff_see_the_reopen_button(world, client):
    application = submitted(world)
    url = reverse("applications:application_confirmation", args=[application.pk])
    reopen = reverse("applications:confirmation_reopen", args=[application.pk])
    client.force_login(staff(world))
    assert reopen in client.get(url).content.decode()
    for role in (Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER):
        client.force_login(world.users[role])
        assert reopen not in client.get(url).content.decode(), role


def test_staff_reopen_from_the_read_page_with_a_reason(world, client):
    application = submitted(world)
    url = reverse("applications:confirmation_reopen", args=[application.pk])
    client.force_login(staff(world))
    client.post(url, {"reason": ""})
    assert confirmation_of(application).locked_at is not None
    response = client.post(url, {"reason": "签字日期有误"})
    assert response.status_code == 302
    assert confirmation_of(application).locked_at is None


def test_the_confirmation_pdf_prints_the_submitted_version(world, client, tmp_path):
    application = submitted(world)
    services.reopen_confirmation(
        confirmation=confirmation_of(application), by=staff(world), reason="更换负责人"
    )
    save(world, application, signer="何总")
    client.force_login(world.users[Role.AGENCY_STAFF])
    response = client.get(
        reverse("applications:application_confirmation_pdf", args=[application.pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert "负责人签字：梁总" in text
    assert "何总" not in text
    log = ActivityLog.objects.get(action="confirmation.export_pdf")
    assert log.after == {"application": application.pk, "version": 1}


def test_the_read_page_shows_the_submitted_version_after_a_change(world, client):
    application = submitted(world)
    services.reopen_confirmation(
        confirmation=confirmation_of(application), by=staff(world), reason="更换负责人"
    )
    save(world, application, signer="何总")
    client.force_login(staff(world))
    content = client.get(
        reverse("applications:application_confirmation", args=[application.pk])
    ).content.decode()
    assert "梁总" in content
    assert "申报单位在本申报提交后修改了活动确认表" in content


def test_the_agency_reads_the_form_and_materials(world, client):
    application = submitted(world)
    client.force_login(world.users[Role.AGENCY_STAFF])
    response = client.get(reverse("applications:form_view", args=[application.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert application.form_data["brand_name"] in content
    assert application.profile.splitlines()[0] in content


def test_the_detail_page_sends_readers_to_the_read_page_and_shows_the_state(world, client):
    application = submitted(world)
    client.force_login(world.users[Role.AGENCY_STAFF])
    content = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert reverse("applications:application_confirmation", args=[application.pk]) in content
    assert reverse("applications:confirmation", args=[application.campaign.year]) not in content
    assert reverse("applications:form_view", args=[application.pk]) in content
    assert "已锁定" in content
    assert "随申报提交第 1 版" in content


def test_the_applicant_keeps_the_edit_link_while_not_locked(world, client):
    application = complete_application(make_application(world))
    client.force_login(owner(world))
    content = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert reverse("applications:confirmation", args=[application.campaign.year]) in content
    assert "已签署：梁总" in content


# --- what was submitted ------------------------------------------------------------------


def test_submission_keeps_the_organisation_s_details(world):
    application = submitted(world)
    details = application.submitted_details
    assert details["name"] == world.enterprise.name
    assert details["uscc"] == world.enterprise.uscc


def test_a_rename_after_submission_changes_no_export(world, client):
    application = submitted(world)
    old_name = world.enterprise.name
    update_organisation(
        organisation=world.enterprise, by=owner(world), data={"name": "新名称有限公司"}
    )
    client.force_login(staff(world))
    response = client.get(reverse("applications:export", args=[application.campaign.year]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][3] == old_name
    application.refresh_from_db()
    assert application_context(application)["name"] == old_name


# --- the signed and sealed scans ----------------------------------------------------------


def test_missing_signed_scans_are_listed(world):
    application = complete_application(make_application(world))
    Attachment.objects.filter(
        application=application,
        kind__in=[AttachmentKind.SIGNED_CONFIRMATION, AttachmentKind.SIGNED_FORM],
    ).delete()
    problems = submission_problems(application)
    assert "请上传签字盖章的活动确认表（附件2）扫描件" in problems
    assert "请上传签字盖章的申请表扫描件" in problems


def test_the_detail_page_shows_which_scans_are_there(world, client):
    application = complete_application(make_application(world))
    Attachment.objects.filter(application=application, kind=AttachmentKind.SIGNED_FORM).delete()
    client.force_login(owner(world))
    content = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert 'data-signed-scan="signed_confirmation">附件2：已上传' in content
    assert 'data-signed-scan="signed_form">申请表：<span class="text-danger">未上传' in content


def test_the_agency_downloads_a_signed_scan(world, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = complete_application(make_application(world))
    Attachment.objects.filter(
        application=application, kind=AttachmentKind.SIGNED_CONFIRMATION
    ).delete()
    scan = services.add_attachment(
        application=application,
        by=owner(world),
        upload=SimpleUploadedFile(
            "附件2.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\nstartxref\n0\n%%EOF\n"
        ),
        kind=AttachmentKind.SIGNED_CONFIRMATION,
    )
    services.submit_application(application=application, by=owner(world))
    client.force_login(world.users[Role.AGENCY_STAFF])
    page = client.get(reverse("applications:attachments", args=[application.pk])).content.decode()
    assert "签字盖章的活动确认表（附件2）扫描件" in page
    response = client.get(
        reverse("applications:attachment_download", args=[application.pk, scan.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
