"""The fieldwork panels of the dashboard, role by role."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.fieldwork import dashboard
from manyi.fieldwork.models import ContactStatus, SampledContact, SurveyStatus
from manyi.fieldwork.qc.services import draw_verification
from tests.fieldwork.factories import make_survey
from tests.fieldwork.qc_helpers import complete, flagged_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world)


def titles(user):
    return [p["title"] for p in dashboard.panels(user)]


@pytest.mark.parametrize(
    "role", [Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN, Role.WORKDEPT_STAFF]
)
def test_staff_see_surveys_by_status_and_flagged_responses(world, survey, role):
    flagged_response(world, survey)
    make_survey(
        world,
        organisation=world.other_enterprise,
        status=SurveyStatus.ASSIGNED,
        phone_base=13500000000,
    )
    (found,) = dashboard.panels(world.users[role])
    assert found["count"] == 2
    assert found["items"] == ["已委托：1", "调查中：1", "待调查机构复核的回答：1"]
    assert found["url"] == reverse("fieldwork:survey_list")


def test_the_manager_sees_the_firms_work_to_review(world, survey):
    flagged_response(world, survey, position=1)
    complete(world, SampledContact.objects.get(survey=survey, position=2), score=4)
    draw_verification(survey=survey, by=world.users[Role.SURVEY_MANAGER])
    (found,) = dashboard.panels(world.users[Role.SURVEY_MANAGER])
    assert found["count"] == 1
    assert found["items"] == ["调查中的项目：1", "待回访复核的访问：1"]
    assert found["url"] == reverse("fieldwork:review_list")


def test_another_firms_manager_sees_none_of_it(world, survey):
    flagged_response(world, survey)
    (found,) = dashboard.panels(world.other_firm_manager)
    assert found["count"] == 0
    assert found["items"] == ["调查中的项目：0", "待回访复核的访问：0"]


def test_the_interviewer_sees_open_contacts_and_callbacks_due(world, survey):
    contacts = SampledContact.objects.filter(
        survey=survey, interviewer=world.users[Role.SURVEYOR]
    ).order_by("position")
    due, later = contacts[0], contacts[1]
    now = timezone.now()
    SampledContact.objects.filter(pk=due.pk).update(
        status=ContactStatus.CALLBACK, callback_at=now - datetime.timedelta(minutes=5)
    )
    SampledContact.objects.filter(pk=later.pk).update(
        status=ContactStatus.CALLBACK, callback_at=now + datetime.timedelta(hours=2)
    )
    complete(world, contacts[2])
    (found,) = dashboard.panels(world.users[Role.SURVEYOR])
    assert found["count"] == contacts.count() - 1
    assert found["items"] == ["已到时间的预约回拨：1"]
    assert found["url"] == reverse("fieldwork:call_queue")


def test_the_applicant_sees_only_that_its_survey_is_under_way(world, survey):
    flagged_response(world, survey)
    (found,) = dashboard.panels(world.users[Role.ENTERPRISE_USER])
    assert found["items"] == [f"{survey.application.get_category_display()}：第三方调查进行中"]
    assert found["count"] is None
    assert found["url"] == reverse("applications:detail", args=[survey.application_id])


def test_the_applicant_is_told_when_the_result_is_released(world, survey):
    survey.status = SurveyStatus.RELEASED
    survey.save(update_fields=["status"])
    (found,) = dashboard.panels(world.users[Role.ENTERPRISE_USER])
    assert found["items"] == [f"{survey.application.get_category_display()}：调查结果已发布"]


def test_other_applicants_and_agencies_see_no_survey(world, survey):
    assert titles(world.outsider) == []
    assert titles(world.users[Role.AGENCY_STAFF]) == []
    assert titles(world.users[Role.EXPERT]) == []


def test_the_dashboard_page_shows_the_managers_panel(world, survey, client_for):
    flagged_response(world, survey)
    page = client_for(Role.SURVEY_MANAGER).get(reverse("dashboard")).content.decode()
    assert "待复核的问卷回答" in page
    assert reverse("fieldwork:review_list") in page
