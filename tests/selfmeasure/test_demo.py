"""The demo's own measurement: two autumn surveys a year apart, a plan between them whose
targeted drivers moved, and a survey collecting now. Loading twice changes nothing."""

import pytest

from manyi.accounts import demo as accounts_demo
from manyi.accounts.models import User
from manyi.common.demo_report import DemoReport
from manyi.fieldwork.demo import publish_questionnaires
from manyi.selfmeasure import demo, progress, selectors
from manyi.selfmeasure.models import ImprovementAction, ImprovementPlan, OwnSurvey, OwnSurveyStatus
from manyi.surveys.models import MeasurementRun, RunStatus, Visibility

pytestmark = pytest.mark.django_db


def test_the_demo_tells_a_year_of_own_measurement():
    accounts_demo.load_people()
    publish_questionnaires(User.objects.get(email="staff@demo.manyi.cn"))
    report = DemoReport()

    demo.load_demo(report)
    demo.load_demo(DemoReport())

    surveys = {s.title: s for s in OwnSurvey.objects.all()}
    assert set(surveys) == {demo.FIRST, demo.SECOND, demo.OPEN}
    first, second, open_one = surveys[demo.FIRST], surveys[demo.SECOND], surveys[demo.OPEN]
    assert first.status == OwnSurveyStatus.CLOSED
    assert first.closed_at.year == 2025
    assert first.dataset.survey_year == 2025
    assert first.dataset.visibility == Visibility.SHARED
    assert second.dataset.visibility == Visibility.PRIVATE
    assert MeasurementRun.objects.filter(status=RunStatus.DONE).count() == 2
    plan = ImprovementPlan.objects.get()
    assert plan.run == first.run
    assert plan.actions.count() == 3
    assert ImprovementAction.objects.filter(done_at__isnull=False).count() == 2
    assert selectors.next_run(plan) == second.run
    changes = {
        c.lv: c for c in progress.driver_changes(first.run, second.run, ["QUALITY", "VALUE"])
    }
    assert changes["QUALITY"].change > 0
    assert changes["QUALITY"].beyond_uncertainty is True
    assert open_one.status == OwnSurveyStatus.OPEN
    assert open_one.responses.count() == 15
    assert open_one.responses.exclude(flags=[]).count() == 1
    assert any(f"/own/plans/{plan.pk}/" in line for line in report.lines)
    assert any(f"/q/{open_one.token}/" in line for line in report.lines)
