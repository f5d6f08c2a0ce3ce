"""Complaints for staff: triage, a major complaint opening a revocation case (or noted on the
title's case in progress), investigators without a conflict, findings, the answer or the
dismissal, privacy towards the work department, the list, the dashboard and the hub."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.models import Declaration
from manyi.supervision.complaints import panels, selectors
from manyi.supervision.complaints.services import (
    answer_complaint,
    assign_investigator,
    dismiss_complaint,
    record_findings,
    triage_complaint,
)
from manyi.supervision.models import (
    ComplaintStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
)
from manyi.supervision.revocations.opening import open_revocation
from manyi.titles.models import Title, TitleStatus
from tests.factories import MembershipFactory
from tests.reviews.factories import assign_experts, granted_title, make_expert
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


def detail_url(complaint):
    return reverse("supervision:complaint_detail", args=[complaint.pk])


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


# ------------------------------------------------------------------------------------------
# Triage


def test_triage_takes_the_complaint_up_and_is_logged(world, client_for):
    title, complaint, _token = complaint_about_title(world)
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("supervision:complaint_triage", args=[complaint.pk]),
        {"title_number": title.number, "note": "属于本活动范围，受理"},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.INVESTIGATING
    assert complaint.major is False
    assert complaint.triage_note == "属于本活动范围，受理"
    assert complaint.triaged_by == staff(world)
    entry = ActivityLog.objects.get(action="complaint.triage")
    assert entry.before["status"] == ComplaintStatus.RECEIVED
    assert entry.after["status"] == ComplaintStatus.INVESTIGATING
    assert entry.after["title"] == title.number
    assert not Revocation.objects.exists()


def test_triage_matches_an_unmatched_complaint_to_a_holder_by_name(world):
    title = granted_title(world)
    complaint, _token = complain("那家做空调的公司")

    result = triage_complaint(
        complaint=complaint,
        by=staff(world),
        major=False,
        organisation_name=title.organisation.name,
    )

    assert result.complaint.organisation == title.organisation
    assert result.complaint.title is None


def test_triage_refuses_an_unknown_number_and_changes_nothing(world):
    complaint, _token = complain()

    with pytest.raises(ValidationError) as refused:
        triage_complaint(
            complaint=complaint, by=staff(world), major=False, title_number="GZYH-1999-CP-0001"
        )

    assert "没有这个证书编号的称号" in str(refused.value)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED
    assert not ActivityLog.objects.filter(action="complaint.triage").exists()


def test_triage_refuses_a_title_of_another_holder_than_named(world):
    title = granted_title(world)
    other = granted_title(world)
    complaint, _token = complain()

    with pytest.raises(ValidationError):
        triage_complaint(
            complaint=complaint,
            by=staff(world),
            major=False,
            title_number=title.number,
            organisation_name=other.organisation.name,
        )


def test_the_work_department_cannot_triage(world, client_for):
    _title, complaint, _token = complaint_about_title(world)
    client = client_for(Role.WORKDEPT_STAFF)

    response = client.post(
        reverse("supervision:complaint_triage", args=[complaint.pk]), {"major": "on"}
    )

    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED
    with pytest.raises(Exception, match="无权"):
        triage_complaint(complaint=complaint, by=world.users[Role.WORKDEPT_STAFF], major=False)


# ------------------------------------------------------------------------------------------
# A major complaint opens a revocation (Art. 22)


def test_a_major_complaint_about_a_valid_title_opens_a_case_by_the_system(world, client_for):
    title, complaint, _token = complaint_about_title(world)
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("supervision:complaint_triage", args=[complaint.pk]),
        {"title_number": title.number, "major": "on", "note": "多名用户反映，情节严重"},
        follow=True,
    )

    case = Revocation.objects.get()
    assert case.title == title
    assert case.complaint == complaint
    assert case.reason == RevocationReason.MAJOR_COMPLAINT
    assert case.status == RevocationStatus.OPENED
    assert case.opened_by is None
    assert FACTS in case.facts
    assert "多名用户反映" in case.facts
    assert COMPLAINANT not in case.facts
    assert CONTACT not in case.facts
    opening = ActivityLog.objects.get(action="revocation.open")
    assert opening.actor is None
    assert opening.actor_label == "系统"
    triage = ActivityLog.objects.get(action="complaint.triage")
    assert triage.after["revocation"] == case.pk
    page = response.content.decode()
    assert f'data-case="{case.pk}"' in page
    assert reverse("supervision:revocation_detail", args=[case.pk]) in page
    assert "系统已对该称号立案" in page


def test_a_major_complaint_about_a_title_with_a_case_in_progress_does_not_fail(world, client_for):
    title, complaint, _token = complaint_about_title(world)
    existing = open_revocation(
        title=title, reason=RevocationReason.FRAUD, facts="申报材料虚假", by=staff(world)
    )
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("supervision:complaint_triage", args=[complaint.pk]),
        {"title_number": title.number, "major": "on"},
        follow=True,
    )

    complaint.refresh_from_db()
    assert complaint.major is True
    assert complaint.status == ComplaintStatus.INVESTIGATING
    assert list(Revocation.objects.all()) == [existing]
    triage = ActivityLog.objects.get(action="complaint.triage")
    assert triage.after["revocation"] is None
    assert triage.after["case_in_progress"] == existing.pk
    page = response.content.decode()
    assert f'data-existing-case="{existing.pk}"' in page
    assert "未另行立案" in page


def test_a_major_complaint_about_an_expired_title_opens_nothing(world):
    title, complaint, _token = complaint_about_title(world)
    Title.objects.filter(pk=title.pk).update(status=TitleStatus.EXPIRED)

    result = taken_up(world, complaint, major=True)

    assert result.complaint.major is True
    assert result.opened is None
    assert not Revocation.objects.exists()


def test_a_major_complaint_must_name_a_holder(world):
    complaint, _token = complain("说不清是哪家")

    with pytest.raises(ValidationError) as refused:
        triage_complaint(complaint=complaint, by=staff(world), major=True)

    assert "重大投诉须先对应到获证单位" in str(refused.value)
    complaint.refresh_from_db()
    assert complaint.major is False


def test_a_major_complaint_matched_to_its_title_later_then_opens_the_case(world):
    title = granted_title(world)
    complaint, _token = complain(title.organisation.name)
    first = taken_up(world, complaint, major=True)
    assert first.opened is None

    second = taken_up(world, first.complaint, major=True, title=title)

    assert second.opened is not None
    assert second.opened.complaint == complaint


def test_a_major_complaint_that_opened_a_case_cannot_be_unmarked(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint, major=True).complaint

    with pytest.raises(ValidationError) as refused:
        taken_up(world, complaint, major=False)

    assert "不能取消重大投诉标记" in str(refused.value)
    complaint.refresh_from_db()
    assert complaint.major is True


def test_triaging_again_does_not_open_a_second_case(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint, major=True).complaint

    again = taken_up(world, complaint, major=True, note="补充意见")

    assert again.opened is None
    assert Revocation.objects.count() == 1


# ------------------------------------------------------------------------------------------
# Investigators


def test_investigators_are_committee_staff_and_experts_without_a_conflict(world):
    title, complaint, _token = complaint_about_title(world)
    holder = title.organisation
    clean = make_expert(world, employer="华南理工大学")
    employed = make_expert(world, employer=f"{holder.name}研发中心")
    member = make_expert(world)
    MembershipFactory(user=member, organisation=holder, role=Role.ENTERPRISE_USER)
    declared = make_expert(world, campaign=title.application.campaign)
    Declaration.objects.get(expert=declared).conflicts.add(holder)
    competitor = make_expert(world, campaign=title.application.campaign)
    Declaration.objects.filter(expert=competitor).update(competitors=holder.name)
    agency_expert = make_expert(world, organisation=world.agency)
    (reviewer,) = [a.expert for a in assign_experts(world, title.application, n=1)]

    candidates = set(selectors.investigator_candidates(complaint))

    assert staff(world) in candidates
    assert clean in candidates
    for excluded in (employed, member, declared, competitor, agency_expert, reviewer):
        assert excluded not in candidates, excluded.full_name


def test_an_unmatched_complaint_can_only_be_given_to_committee_staff(world):
    complaint, _token = complain("说不清是哪家")
    expert = make_expert(world)

    candidates = selectors.investigator_candidates(complaint)

    assert staff(world) in candidates
    assert expert not in candidates


def test_assigning_an_investigator_is_logged_and_mailed(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint).complaint
    expert = make_expert(world)

    complaint = assign_investigator(complaint=complaint, by=staff(world), investigator=expert)

    assert complaint.investigator == expert
    assert ActivityLog.objects.get(action="complaint.assign").after == {"investigator": expert.pk}
    mail = OutboxMessage.objects.get(template="supervision/complaint_assigned")
    assert mail.to == expert.email
    assert mail.subject.startswith("【满意】")
    assert COMPLAINANT not in mail.body_text


def test_an_investigator_with_a_conflict_is_refused(world):
    title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint).complaint
    employed = make_expert(world, employer=title.organisation.name)

    with pytest.raises(ValidationError):
        assign_investigator(complaint=complaint, by=staff(world), investigator=employed)

    complaint.refresh_from_db()
    assert complaint.investigator is None


def test_an_investigator_is_assigned_only_after_triage(world):
    _title, complaint, _token = complaint_about_title(world)

    with pytest.raises(ValidationError, match="分类处理"):
        assign_investigator(complaint=complaint, by=staff(world), investigator=staff(world))


def test_the_expert_investigating_reads_it_and_records_findings(world, client_for):
    _title, complaint, _token = complaint_about_title(world, evidence=[pdf_upload("收据.pdf")])
    complaint = taken_up(world, complaint).complaint
    expert = make_expert(world)
    assign_investigator(complaint=complaint, by=staff(world), investigator=expert)
    client = client_for(expert)

    page = client.get(detail_url(complaint)).content.decode()
    response = client.post(
        reverse("supervision:complaint_findings", args=[complaint.pk]),
        {"findings": "现场核实：维修承诺未兑现属实", "evidence": pdf_upload("现场照片.pdf")},
    )
    answer = client.post(
        reverse("supervision:complaint_answer", args=[complaint.pk]), {"answer": "x"}
    )

    assert CONTACT in page
    assert "data-evidence" in page
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.findings == "现场核实：维修承诺未兑现属实"
    assert complaint.evidence.filter(uploaded_by=expert).count() == 1
    entry = ActivityLog.objects.get(action="complaint.findings")
    assert entry.actor == expert
    assert answer.status_code == 403
    assert complaint.status == ComplaintStatus.INVESTIGATING


def test_another_expert_does_not_find_the_complaint(world, client_for):
    _title, complaint, _token = complaint_about_title(world)
    other = make_expert(world)
    client = client_for(other)

    assert client.get(detail_url(complaint)).status_code == 404
    listing = client.get(reverse("supervision:complaint_list")).content.decode()
    assert f'data-complaint="{complaint.pk}"' not in listing


def test_forged_findings_material_changes_nothing(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint).complaint

    with pytest.raises(ValidationError):
        record_findings(
            complaint=complaint, by=staff(world), findings="调查情况", evidence=forged_upload()
        )

    complaint.refresh_from_db()
    assert complaint.findings == ""
    assert not complaint.evidence.exists()
    assert not ActivityLog.objects.filter(action="complaint.findings").exists()


# ------------------------------------------------------------------------------------------
# The answer


def test_an_answer_needs_the_findings_first(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint).complaint

    with pytest.raises(ValidationError, match="请先记录调查情况"):
        answer_complaint(complaint=complaint, by=staff(world), answer="已处理")


def test_the_answer_closes_the_complaint_and_mails_an_email_contact(world, client_for):
    _title, complaint, _token = complaint_about_title(world, contact="wang@example.cn")
    complaint = taken_up(world, complaint).complaint
    complaint = record_findings(complaint=complaint, by=staff(world), findings="属实")
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("supervision:complaint_answer", args=[complaint.pk]),
        {"answer": "经核实，投诉属实，已责令整改。"},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.ANSWERED
    assert complaint.answer == "经核实，投诉属实，已责令整改。"
    assert complaint.answered_by == staff(world)
    entry = ActivityLog.objects.get(action="complaint.answer")
    assert entry.after == {"status": ComplaintStatus.ANSWERED}
    mail = OutboxMessage.objects.get(template="supervision/complaint_answered")
    assert mail.to == "wang@example.cn"
    assert "经核实，投诉属实，已责令整改。" in mail.body_text
    with pytest.raises(ValidationError, match="已办结"):
        triage_complaint(complaint=complaint, by=staff(world), major=False)


def test_no_mail_is_sent_to_a_phone_number(world):
    _title, complaint, _token = complaint_about_title(world)
    complaint = taken_up(world, complaint).complaint
    complaint = record_findings(complaint=complaint, by=staff(world), findings="属实")

    answer_complaint(complaint=complaint, by=staff(world), answer="已处理")

    assert not OutboxMessage.objects.filter(template="supervision/complaint_answered").exists()


def test_a_complaint_can_be_dismissed_with_reasons_the_complainant_reads(world, client):
    complaint, token = complain("隔壁邻居装修太吵")

    dismiss_complaint(
        complaint=complaint, by=staff(world), answer="被投诉方并非获证单位，不属于本活动范围。"
    )

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.DISMISSED
    page = client.get(reverse("supervision:complaint_follow", args=[token])).content.decode()
    assert "不予受理" in page
    assert "被投诉方并非获证单位" in page


def test_a_dismissal_needs_reasons(world):
    complaint, _token = complain()

    with pytest.raises(ValidationError):
        dismiss_complaint(complaint=complaint, by=staff(world), answer="  ")

    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RECEIVED


# ------------------------------------------------------------------------------------------
# Privacy towards the work department


def test_the_work_department_reads_without_name_contact_or_files(world, client_for):
    _title, complaint, _token = complaint_about_title(world, evidence=[pdf_upload("收据.pdf")])
    evidence = complaint.evidence.get()
    client = client_for(Role.WORKDEPT_STAFF)

    page = client.get(detail_url(complaint)).content.decode()
    listing = client.get(reverse("supervision:complaint_list")).content.decode()
    download = client.get(
        reverse("supervision:complaint_evidence", args=[complaint.pk, evidence.pk])
    )

    assert FACTS in page
    assert COMPLAINANT not in page
    assert CONTACT not in page
    assert reverse("supervision:complaint_evidence", args=[complaint.pk, evidence.pk]) not in page
    assert "收据.pdf" not in page
    assert "仅处理该投诉的工作人员可见" in page
    assert COMPLAINANT not in listing
    assert download.status_code == 403
    assert reverse("supervision:complaint_triage", args=[complaint.pk]) not in page


def test_committee_staff_see_the_complainant_and_download_a_file_logged(world, client_for):
    _title, complaint, _token = complaint_about_title(world, evidence=[pdf_upload("收据.pdf")])
    evidence = complaint.evidence.get()
    client = client_for(Role.COMMITTEE_STAFF)

    page = client.get(detail_url(complaint)).content.decode()
    download = client.get(
        reverse("supervision:complaint_evidence", args=[complaint.pk, evidence.pk])
    )

    assert COMPLAINANT in page
    assert CONTACT in page
    assert "收据.pdf" in page
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert (
        'filename="' in download["Content-Disposition"]
        or "filename*=" in (download["Content-Disposition"])
    )
    entry = ActivityLog.objects.get(action="supervision.evidence_download")
    assert entry.actor == staff(world)
    assert entry.after["complaint"] == complaint.pk


def test_a_file_of_another_complaint_is_not_found(world, client_for):
    _title, first, _token = complaint_about_title(world, evidence=[pdf_upload()])
    second, _token = complain()
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.get(
        reverse("supervision:complaint_evidence", args=[second.pk, first.evidence.get().pk])
    )

    assert response.status_code == 404
    assert Path(settings.MEDIA_ROOT, first.evidence.get().path).exists()


# ------------------------------------------------------------------------------------------
# The list, the dashboard and the hub


def test_the_list_filters_by_status_and_major_and_searches(world, client_for):
    title, major, _t = complaint_about_title(world)
    major = taken_up(world, major, major=True).complaint
    plain, _t = complain("另一家公司")
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:complaint_list")

    def shown(**params):
        page = client.get(url, params).content.decode()
        return {c.pk for c in (major, plain) if f'data-complaint="{c.pk}"' in page}

    assert shown() == {major.pk, plain.pk}
    assert shown(major="1") == {major.pk}
    assert shown(major="0") == {plain.pk}
    assert shown(status="received") == {plain.pk}
    assert shown(q=title.number) == {major.pk}
    assert shown(q=title.organisation.name[:6]) == {major.pk}
    assert shown(q="另一家") == {plain.pk}


def test_the_list_reads_the_same_number_of_queries_for_one_or_three(world, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("supervision:complaint_list")
    _title, complaint, _t = complaint_about_title(world)
    taken_up(world, complaint)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    complaint_about_title(world)
    complain()
    with CaptureQueriesContext(connection) as three:
        client.get(url)

    assert len(three) == len(one)


def test_the_dashboard_shows_open_complaints_major_first(world):
    plain, _t = complain("另一家公司")
    _title, major, _t = complaint_about_title(world)
    taken_up(world, major, major=True)

    (found,) = panels.panels(staff(world))

    assert found["count"] == 2
    assert found["items"][0].startswith("【重大】")
    assert panels.panels(world.users[Role.WORKDEPT_STAFF]) == []


def test_the_hub_counts_open_complaints(world, client_for):
    complain()
    client = client_for(Role.WORKDEPT_STAFF)

    page = client.get(reverse("supervision:index")).content.decode()

    assert reverse("supervision:complaint_list") in page
    assert "投诉" in page


def test_the_demo_adds_two_open_complaints_once(world):
    from manyi.common.demo_report import DemoReport
    from manyi.supervision.complaints import demo
    from manyi.supervision.models import Complaint
    from tests.factories import UserFactory

    MembershipFactory(
        user=UserFactory(email=demo.STAFF), organisation=world.committee, role=Role.COMMITTEE_STAFF
    )
    title = granted_title(world)
    report = DemoReport()

    demo.load_demo(report)
    demo.load_demo(report)

    assert Complaint.objects.count() == 2
    assert Complaint.objects.filter(status=ComplaintStatus.INVESTIGATING, title=title).count() == 1
    assert len(report.lines) == 1
