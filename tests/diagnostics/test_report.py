"""The leader's report: drafts, who reads them, submission, and the PDF."""

import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.diagnostics import services
from manyi.diagnostics.access import READ_DRAFT, READ_REPORT
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus, DiagnosticReport
from tests.diagnostics.factories import (
    REPORT,
    agency_experts,
    leader_of,
    reported,
    scheduled,
    visited,
)

pytestmark = pytest.mark.django_db


def test_the_leader_saves_a_draft_numbered_in_order(world):
    diagnosis = scheduled(world)
    leader, member = agency_experts(world)

    report = services.save_report(
        diagnosis=diagnosis,
        by=leader,
        summary="总体良好",
        findings=["", "问题甲", "  ", "问题乙"],
        recommendations=[("建议甲", "high"), ("", "low"), ("建议乙", "low")],
    )

    assert report.findings == [{"key": "F1", "text": "问题甲"}, {"key": "F2", "text": "问题乙"}]
    assert report.recommendations == [
        {"key": "R1", "text": "建议甲", "priority": "high"},
        {"key": "R2", "text": "建议乙", "priority": "low"},
    ]
    assert report.submitted_at is None
    entry = ActivityLog.objects.get(action="diagnosis.report_save")
    assert entry.after == {"findings": 2, "recommendations": 2, "new": True}
    # The group reads the draft; the enterprise and the agency do not yet.
    assert READ_DRAFT.allows(member, diagnosis)
    assert not READ_REPORT.allows(world.users[Role.ENTERPRISE_USER], diagnosis)
    assert not READ_REPORT.allows(world.users[Role.AGENCY_STAFF], diagnosis)


def test_only_the_leader_writes(world):
    diagnosis = scheduled(world)
    _leader, member = agency_experts(world)
    with pytest.raises(ValidationError) as refused:
        services.save_report(diagnosis=diagnosis, by=member, **REPORT)
    assert "组长" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.save_report(diagnosis=diagnosis, by=world.users[Role.EXPERT], **REPORT)
    assert not DiagnosticReport.objects.exists()


def test_a_bad_priority_is_refused(world):
    diagnosis = scheduled(world)
    with pytest.raises(ValidationError) as refused:
        services.save_report(
            diagnosis=diagnosis,
            by=leader_of(world),
            summary="",
            findings=["甲"],
            recommendations=[("乙", "urgent")],
        )
    assert "优先级" in refused.value.message_dict["recommendations"][0]
    assert not DiagnosticReport.objects.exists()


def test_no_submission_before_the_visit_day(world):
    diagnosis = scheduled(world, days_ahead=3)
    leader = leader_of(world)
    services.save_report(diagnosis=diagnosis, by=leader, **REPORT)
    with pytest.raises(ValidationError) as refused:
        services.submit_report(diagnosis=diagnosis, by=leader)
    assert "诊断当天或之后" in refused.value.messages[0]
    assert Diagnosis.objects.get().status == DiagnosisStatus.SCHEDULED


def test_no_submission_without_findings_and_recommendations(world):
    diagnosis = visited(world)
    leader = leader_of(world)
    services.save_report(
        diagnosis=diagnosis, by=leader, summary="", findings=[" "], recommendations=[]
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_report(diagnosis=diagnosis, by=leader)

    assert refused.value.messages == [
        "请填写总体评价",
        "请至少写一条发现的问题",
        "请至少写一条改进建议",
    ]
    assert DiagnosticReport.objects.get().submitted_at is None
    assert Diagnosis.objects.get().status == DiagnosisStatus.SCHEDULED


def test_submission_reaches_the_enterprise_the_agency_and_the_group(world):
    diagnosis = reported(world)

    assert diagnosis.status == DiagnosisStatus.REPORTED
    assert diagnosis.report.submitted_at is not None
    entry = ActivityLog.objects.get(action="diagnosis.report_submit")
    assert entry.after == {"status": "reported", "findings": 2, "recommendations": 2}
    told = set(
        OutboxMessage.objects.filter(template="diagnostics/reported").values_list("to", flat=True)
    )
    leader, member = agency_experts(world)
    assert told == {
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
        world.users[Role.AGENCY_STAFF].email,
        leader.email,
        member.email,
    }
    assert READ_REPORT.allows(world.users[Role.ENTERPRISE_USER], diagnosis)
    assert READ_REPORT.allows(world.users[Role.COMMITTEE_STAFF], diagnosis)
    assert not READ_REPORT.allows(world.outsider, diagnosis)


def test_a_submitted_report_is_not_changed_again(world):
    diagnosis = reported(world)
    with pytest.raises(ValidationError):
        services.save_report(diagnosis=diagnosis, by=leader_of(world), **REPORT)
    assert DiagnosticReport.objects.get().summary == REPORT["summary"]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


def test_the_pdf_holds_the_findings_and_recommendations_and_is_logged(world, tmp_path):
    diagnosis = reported(world)
    content = services.report_pdf(diagnosis=diagnosis, by=world.users[Role.ENTERPRISE_USER])

    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "用户满意工程诊断报告" in text
    assert "珠江家电有限公司" in text
    assert "投诉处理没有时限要求" in text
    assert "建立投诉处理 48 小时闭环制度" in text
    assert "R1" in text
    assert "天河区质量技术协会" in text
    assert ActivityLog.objects.filter(action="diagnosis.report_pdf").count() == 1


def test_no_pdf_for_an_outsider(world):
    diagnosis = reported(world)
    with pytest.raises(PermissionDenied):
        services.report_pdf(diagnosis=diagnosis, by=world.outsider)
    assert not ActivityLog.objects.filter(action="diagnosis.report_pdf").exists()
