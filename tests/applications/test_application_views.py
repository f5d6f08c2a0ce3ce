"""The application pages as each person uses them (server side; the browser walks are in tests/browser)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.accounts.roles import Role
from manyi.applications.models import Application, Attachment
from manyi.applications.states import Status
from tests.applications.helpers import complete_application, make_application, open_campaign

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\nxref\n0 1\n0000000000 65535 f \ntrailer<<>>\nstartxref\n9\n%%EOF\n"


def test_dashboards_show_what_waits(world, client):
    campaign = open_campaign(agencies=[world.agency])
    make_application(world, "brand", campaign=campaign, status=Status.SUBMITTED)
    make_application(world, "service", campaign=campaign)
    client.force_login(world.users[Role.AGENCY_STAFF])
    text = client.get("/dashboard/").content.decode()
    assert "待推荐的申报" in text
    assert world.enterprise.name in text
    client.force_login(world.users[Role.ENTERPRISE_USER])
    text = client.get("/dashboard/").content.decode()
    assert "用户满意品牌：推荐单位审核中" in text
    assert "用户满意服务：填写中" in text
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    assert "已提交，待推荐：1" in client.get("/dashboard/").content.decode()


def test_drafts_are_saved_partially_and_the_missing_parts_listed(world, client):
    application = make_application(world, "product")
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(
        f"/applications/{application.pk}/form/",
        {"product_name": "变频空调器", "market_share": "120", "product_model": ""},
    )
    assert response.status_code == 200
    assert "100" in response.content.decode()  # a percentage over 100 is refused
    response = client.post(
        f"/applications/{application.pk}/form/",
        {"product_name": "变频空调器", "market_share": "12.5", "trademark_name__reason": ""},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_data["product_name"] == "变频空调器"
    assert application.form_data["market_share"] == "12.5"
    text = client.get(f"/applications/{application.pk}/").content.decode()
    assert "提交前还需完成" in text
    assert "产品型号及规格" in text


def test_evidence_is_checked_by_content_and_served_only_to_readers(world, client, settings):
    from pathlib import Path

    application = make_application(world, "brand")
    client.force_login(world.users[Role.ENTERPRISE_USER])
    forged = SimpleUploadedFile("商标.pdf", b"<html><script>alert(1)</script></html>")
    response = client.post(
        f"/applications/{application.pk}/attachments/", {"kind": "trademark", "file": forged}
    )
    assert "文件内容不是 PDF、JPEG 或 PNG" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.*"))
    client.post(
        f"/applications/{application.pk}/attachments/",
        {"kind": "trademark", "file": SimpleUploadedFile("商标.pdf", PDF)},
    )
    attachment = Attachment.objects.get()
    assert ".pdf" in attachment.file_path  # a random name
    assert "商标" not in attachment.file_path  # a random name
    response = client.get(f"/applications/{application.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    client.force_login(world.outsider)
    assert (
        client.get(f"/applications/{application.pk}/attachments/{attachment.pk}/").status_code
        == 404
    )
    client.force_login(world.users[Role.AGENCY_STAFF])  # a draft is the applicant's business
    assert client.get(f"/applications/{application.pk}/").status_code == 404


def test_submit_button_reports_every_problem(world, client):
    application = make_application(world, "service")
    client.force_login(world.users[Role.ENTERPRISE_USER])
    response = client.post(f"/applications/{application.pk}/submit/", follow=True)
    text = response.content.decode()
    assert "尚不能提交" in text
    assert "请上传用户名单（附件3）" in text
    assert "活动确认表" in text
    assert Application.objects.get(pk=application.pk).status == Status.DRAFT
    complete_application(application)
    response = client.post(f"/applications/{application.pk}/submit/", follow=True)
    assert "已提交至推荐单位" in response.content.decode()


def test_list_views_do_not_grow_queries(world, client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    campaign = open_campaign(agencies=[world.agency])
    make_application(world, "brand", campaign=campaign, status=Status.SUBMITTED)
    client.force_login(world.users[Role.AGENCY_STAFF])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    one = (count("/applications/"), count("/applications/agency/queue/"))
    for category in ("product", "service"):
        make_application(world, category, campaign=campaign, status=Status.SUBMITTED)
    assert (count("/applications/"), count("/applications/agency/queue/")) == one


def test_staff_export_and_applicant_confirmation_pdf_links(world, client):
    application = complete_application(make_application(world, "brand"))
    client.force_login(world.users[Role.COMMITTEE_STAFF])
    assert (
        f"/applications/export/{application.campaign.year}/"
        in client.get("/applications/").content.decode()
    )
    client.force_login(world.users[Role.ENTERPRISE_USER])
    page = client.get(f"/applications/confirmation/{application.campaign.year}/").content.decode()
    assert f"/applications/confirmation/{application.campaign.year}/pdf/" in page


def test_a_banned_enterprise_is_told_up_front_and_offered_nothing_to_start(world, client):
    import datetime

    from django.utils import timezone

    from manyi.campaigns.services import add_ban

    open_campaign(agencies=[world.agency])
    client.force_login(world.users[Role.ENTERPRISE_USER])
    assert 'action="/applications/start/"' in client.get("/applications/").content.decode()
    ban = add_ban(
        by=world.users[Role.ASSOCIATION_ADMIN],
        uscc=world.enterprise.uscc,
        organisation_name=world.enterprise.name,
        reason="提供虚假申报材料",
        decided_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    text = client.get("/applications/").content.decode()
    assert "data-ban" in text and "在禁止申报期内" in text
    assert f"{ban.ends_on.year}年{ban.ends_on.month}月{ban.ends_on.day}日" in text
    assert 'action="/applications/start/"' not in text
