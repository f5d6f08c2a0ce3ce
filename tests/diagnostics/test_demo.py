"""The demo's diagnoses: one answered with a plan (one action done), one visit coming, one
request waiting. Loading twice changes nothing."""

import pytest
from django.utils import timezone

from manyi.accounts import demo as accounts_demo
from manyi.common.demo_report import DemoReport
from manyi.common.models import ActivityLog
from manyi.diagnostics import demo
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus

pytestmark = pytest.mark.django_db


def test_the_demo_tells_a_diagnosis_from_request_to_plan():
    accounts_demo.load_people()
    report = DemoReport()

    demo.load_demo(report)
    logged = ActivityLog.objects.count()
    demo.load_demo(DemoReport())

    assert ActivityLog.objects.count() == logged
    found = {d.enterprise.name: d for d in Diagnosis.objects.select_related("enterprise")}
    assert {name: d.status for name, d in found.items()} == {
        demo.ENTERPRISE: DiagnosisStatus.ANSWERED,
        demo.COMING: DiagnosisStatus.SCHEDULED,
        demo.WAITING: DiagnosisStatus.REQUESTED,
    }
    answered = found[demo.ENTERPRISE]
    group = {m.expert.email: m.is_leader for m in answered.group.select_related("expert")}
    assert group == {demo.LEADER: True, demo.MEMBER: False}
    assert answered.visit_starts_at < answered.report.submitted_at < answered.answered_at
    assert answered.answered_at < timezone.now()
    plan = answered.improvement_plan
    assert plan.actions.count() == 3
    assert plan.actions.filter(done_at__isnull=False).count() == 1
    assert found[demo.COMING].visit_starts_at > timezone.now()
    assert any("/diagnostics/" in line for line in report.lines)
