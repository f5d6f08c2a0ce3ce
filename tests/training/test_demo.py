"""The demo's training: employees of three enterprises, a held class with scores (one failed,
one absent), an upcoming class with enrolments, an internal class, a yearly plan. Loading
twice changes nothing; the demo accounts' pages show it."""

import pytest
from django.utils import timezone

from manyi.accounts import demo as accounts_demo
from manyi.accounts.models import User
from manyi.campaigns.demo import load_campaign_demo
from manyi.common.demo_report import DemoReport
from manyi.common.models import ActivityLog
from manyi.training import demo, records
from manyi.training.models import ClassStatus, Employee, Enrolment, TrainingClass, TrainingPlan

pytestmark = pytest.mark.django_db


def counts():
    return (
        TrainingClass.objects.count(),
        Employee.objects.count(),
        Enrolment.objects.count(),
        TrainingPlan.objects.count(),
        ActivityLog.objects.filter(action__startswith="training.").count(),
    )


@pytest.fixture
def loaded():
    accounts_demo.load_people()
    load_campaign_demo()
    report = DemoReport()
    demo.load_demo(report)
    return report


def test_the_demo_holds_every_kind_of_class_and_loads_twice_to_the_same_world(loaded):
    first = counts()
    demo.load_demo(DemoReport())
    assert counts() == first
    assert first[:4] == (3, 14, 17, 1)

    classes = {c.title: c for c in TrainingClass.objects.all()}
    held = classes[demo.HELD]
    assert held.status == ClassStatus.HELD
    assert held.organiser.name == demo.AGENCY
    assert held.starts_at < timezone.now()
    outcomes = sorted(records.outcome(e) for e in held.enrolments.all())
    assert outcomes.count("fail") == 1
    assert outcomes.count("absent") == 1
    assert outcomes.count("pass") == 7
    upcoming = classes[demo.UPCOMING]
    assert upcoming.status == ClassStatus.OPEN
    assert upcoming.starts_at > timezone.now()
    assert upcoming.enrolments.count() == 4
    internal = classes[demo.INTERNAL]
    assert internal.is_internal is True
    assert internal.status == ClassStatus.HELD
    assert {e.employee.organisation.name for e in internal.enrolments.all()} == {demo.ENTERPRISE}
    plan = TrainingPlan.objects.get()
    assert plan.year == timezone.localdate().year
    assert plan.items.count() == 4
    assert any("/training/classes/" in line for line in loaded.lines)


def test_the_demo_enterprise_sees_its_file_and_the_agency_its_class(loaded, client):
    enterprise_user = User.objects.get(email=demo.ENTERPRISE_USER)
    client.force_login(enterprise_user)
    page = client.get("/training/").content.decode()
    assert demo.UPCOMING in page
    assert demo.INTERNAL in page
    employee = Employee.objects.get(employee_no="ZJ004")
    page = client.get(f"/training/employees/{employee.pk}/").content.decode()
    assert demo.HELD in page
    assert 'data-outcome="fail"' in page
    held = TrainingClass.objects.get(title=demo.HELD)
    page = client.get(f"/training/classes/{held.pk}/").content.decode()
    assert "李晓燕" in page
    assert "郑海燕" not in page  # another organisation's people are not shown
