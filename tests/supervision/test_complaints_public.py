"""The public complaint form (matching, fields, files checked by content, rate limit, the
private link shown once) and the complainant's follow-up page."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision.complaints.services import (
    COMPLAINTS_PER_HOUR,
    answer_complaint,
    hash_token,
    record_findings,
)
from manyi.supervision.models import Complaint, ComplaintStatus, Evidence
from tests.reviews.factories import granted_title
from tests.supervision.factories_complaints import (
    COMPLAINANT,
    CONTACT,
    FACTS,
    complain,
    complaint_about_title,
    taken_up,
)
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db

FORM_URL = "/supervision/complaints/new/"


def form_data(about="某某公司", **extra):
    return {
        "about": about,
        "facts": FACTS,
        "name": COMPLAINANT,
        "contact": CONTACT,
        "consent": "on",
        **extra,
    }


def stored_files() -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "supervision"
    return list(folder.iterdir()) if folder.exists() else []


# ------------------------------------------------------------------------------------------
# The form


def test_the_form_is_at_its_address_and_prefilled_with_the_title_number(client):
    assert reverse("supervision:complaint_new") == FORM_URL

    page = client.get(FORM_URL + "?title=GZYH-2026-CP-0007").content.decode()

    assert 'value="GZYH-2026-CP-0007"' in page
    assert 'enctype="multipart/form-data"' in page
    assert 'name="evidence" multiple' in page


def test_the_verification_page_links_to_the_form_with_the_number(world, client):
    title = granted_title(world)

    page = client.get(reverse("titles:verify", args=[title.number])).content.decode()

    assert f"{FORM_URL}?title={title.number}" in page


def test_a_complaint_about_a_title_number_is_received_matched_and_told_to_staff(world, client):
    title = granted_title(world)

    response = client.post(FORM_URL, form_data(f" {title.number.lower()} "))

    assert response.status_code == 200
    complaint = Complaint.objects.get()
    assert complaint.status == ComplaintStatus.RECEIVED
    assert complaint.title == title
    assert complaint.organisation == title.organisation
    assert complaint.name == COMPLAINANT
    assert complaint.contact == CONTACT
    entry = ActivityLog.objects.get(action="complaint.receive")
    assert entry.actor_label == "公众"
    assert COMPLAINANT not in str(entry.after)
    assert CONTACT not in str(entry.after)
    mails = OutboxMessage.objects.filter(template="supervision/complaint_received")
    assert list(mails.values_list("to", flat=True)) == [world.users[Role.COMMITTEE_STAFF].email]
    mail = mails.get()
    assert mail.subject.startswith("【满意】")
    assert title.number in mail.subject
    assert COMPLAINANT not in mail.body_text
    assert CONTACT not in mail.body_text
    assert reverse("supervision:complaint_detail", args=[complaint.pk]) in mail.body_text


def test_a_complaint_naming_a_holder_is_matched_to_the_organisation(world):
    title = granted_title(world)
    spaced = title.organisation.name.replace("有限公司", " （有限公司）")

    complaint, _token = complain(spaced)

    assert complaint.organisation == title.organisation
    assert complaint.title is None


def test_an_unmatched_complaint_is_kept_for_staff(world):
    granted_title(world)

    complaint, _token = complain("街口那家不知名的装修公司")

    assert complaint.title is None
    assert complaint.organisation is None
    assert complaint.status == ComplaintStatus.RECEIVED


def test_an_organisation_without_a_title_is_not_matched(world):
    complaint, _token = complain(world.other_enterprise.name)

    assert complaint.organisation is None


def test_the_private_link_is_shown_once_and_only_its_hash_is_kept(world, client):
    response = client.post(FORM_URL, form_data())

    page = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "strict-origin"
    token = page.split("/supervision/complaints/follow/")[1].split("/")[0]
    complaint = Complaint.objects.get()
    assert complaint.token_hash == hash_token(token)
    assert token not in complaint.token_hash
    assert token not in str(list(ActivityLog.objects.values_list("after", flat=True)))
    assert token not in str(list(OutboxMessage.objects.values_list("body_text", flat=True)))
    assert "只显示这一次" in page


@pytest.mark.parametrize("missing", ["about", "facts", "name", "contact", "consent"])
def test_each_required_field_is_asked_for_and_nothing_is_stored(world, client, missing):
    data = form_data()
    data.pop(missing)

    response = client.post(FORM_URL, data)

    assert response.status_code == 200
    assert "data-complaint-form" in response.content.decode()
    assert not Complaint.objects.exists()


def test_genuine_files_are_attached_by_nobody(world, client):
    client.post(FORM_URL, form_data(evidence=[pdf_upload("收据.pdf"), pdf_upload("宣传单.pdf")]))

    complaint = Complaint.objects.get()
    files = list(complaint.evidence.order_by("pk"))
    assert [f.name for f in files] == ["收据.pdf", "宣传单.pdf"]
    assert [f.uploaded_by for f in files] == [None, None]
    assert all((Path(settings.MEDIA_ROOT) / f.path).exists() for f in files)
    entry = ActivityLog.objects.get(action="complaint.receive")
    assert entry.after["evidence"] == 2


def test_a_forged_file_among_genuine_ones_stores_nothing(world, client):
    response = client.post(
        FORM_URL, form_data(evidence=[pdf_upload("收据.pdf"), forged_upload("伪造.pdf")])
    )

    assert "文件内容不是 PDF、JPEG 或 PNG" in response.content.decode()
    assert "伪造.pdf" in response.content.decode()
    assert not Complaint.objects.exists()
    assert not Evidence.objects.exists()
    assert stored_files() == []
    assert not ActivityLog.objects.filter(action="complaint.receive").exists()


def test_more_than_three_files_are_refused(world, client):
    response = client.post(FORM_URL, form_data(evidence=[pdf_upload(f"{i}.pdf") for i in range(4)]))

    assert "最多上传 3 个证明材料" in response.content.decode()
    assert not Complaint.objects.exists()
    assert stored_files() == []


def test_complaints_are_rate_limited_per_address(world, client):
    for _ in range(COMPLAINTS_PER_HOUR):
        client.post(FORM_URL, form_data(), REMOTE_ADDR="198.51.100.7")

    refused = client.post(FORM_URL, form_data(), REMOTE_ADDR="198.51.100.7")
    other = client.post(FORM_URL, form_data(), REMOTE_ADDR="198.51.100.8")

    assert "每小时最多提交" in refused.content.decode()
    assert "/supervision/complaints/follow/" in other.content.decode()
    assert Complaint.objects.count() == COMPLAINTS_PER_HOUR + 1


def test_a_refused_form_does_not_count_against_the_limit(world, client):
    for _ in range(COMPLAINTS_PER_HOUR + 2):
        client.post(FORM_URL, {"about": "某某公司"}, REMOTE_ADDR="198.51.100.9")

    client.post(FORM_URL, form_data(), REMOTE_ADDR="198.51.100.9")

    assert Complaint.objects.count() == 1


# ------------------------------------------------------------------------------------------
# The follow-up page


def follow_url(token):
    return reverse("supervision:complaint_follow", args=[token])


def test_the_follow_page_shows_the_status_in_public_words(world, client):
    _title, complaint, token = complaint_about_title(world)

    page = client.get(follow_url(token)).content.decode()

    assert 'data-complaint-status="received"' in page
    assert "已收到，等待受理" in page
    assert complaint.about in page
    assert "no-store" in client.get(follow_url(token))["Cache-Control"]


def test_a_wrong_token_is_not_found(world, client):
    complain()

    assert client.get(follow_url("wrong")).status_code == 404
    assert client.get(follow_url("x" * 101)).status_code == 404


def test_the_follow_page_shows_the_answer_and_no_staff_name_or_internal_note(world, client):
    staff = world.users[Role.COMMITTEE_STAFF]
    staff.full_name = "张调查"
    staff.save(update_fields=["full_name"])
    _title, complaint, token = complaint_about_title(world)
    complaint = taken_up(world, complaint, note="内部意见：先电话核实").complaint
    complaint = record_findings(complaint=complaint, by=staff, findings="内部调查：维修记录缺失")
    answer_complaint(complaint=complaint, by=staff, answer="经核实，已责令该企业整改并回访。")

    page = client.get(follow_url(token)).content.decode()

    assert 'data-complaint-status="answered"' in page
    assert "经核实，已责令该企业整改并回访。" in page
    assert "张调查" not in page
    assert staff.email not in page
    assert "内部意见" not in page
    assert "内部调查" not in page
    assert "重大" not in page


def test_the_complainant_is_kept_off_the_public_pages(world, client):
    title, _complaint, _token = complaint_about_title(world)

    for url in (
        reverse("titles:verify", args=[title.number]),
        reverse("titles:register"),
        FORM_URL,
    ):
        page = client.get(url).content.decode()
        assert COMPLAINANT not in page, url
        assert CONTACT not in page, url
