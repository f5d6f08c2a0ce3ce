"""Surveys of title holders (Art. 22): launching them through fieldwork, the firm's work on them,
and the assessment against the severely-low line that opens a case for a person to decide."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.applications.models import CustomerList
from manyi.campaigns.models import CampaignCategory
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.fieldwork.access import RELEASE
from manyi.fieldwork.models import SampledContact, Survey, SurveyPurpose, SurveyStatus
from manyi.fieldwork.sampling.services import draw_sample
from manyi.fieldwork.selectors import survey_of_application
from manyi.fieldwork.services import phone_key
from manyi.supervision.holders.services import assess_holder_survey, launch_holder_surveys
from manyi.supervision.models import HolderSurvey, Revocation, RevocationReason, RevocationStatus
from manyi.supervision.revocations.opening import open_revocation
from manyi.surveys.models import MeasurementRun
from manyi.surveys.signals import run_finished
from manyi.titles.models import TitleStatus
from tests.fieldwork.factories import make_questionnaire
from tests.supervision.factories_revisits import campaign_now, holder_survey, title_of
from tests.titles.decision_helpers import past_campaign, with_index

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def questionnaires(world):
    for category in ("product", "service"):
        make_questionnaire(staff(world), category=category)


def launch(world, titles, **kwargs):
    today = timezone.localdate()
    return launch_holder_surveys(
        titles=titles,
        firm=kwargs.pop("firm", world.survey_firm),
        field_opens=kwargs.pop("field_opens", today),
        field_closes=kwargs.pop("field_closes", today + timedelta(days=30)),
        by=kwargs.pop("by", staff(world)),
        **kwargs,
    )


# ------------------------------------------------------------------------------------------
# Launch


def test_launching_makes_a_holder_survey_on_the_titles_application(world, questionnaires):
    title = title_of(world)
    CampaignCategory.objects.filter(
        campaign=title.application.campaign, category=title.category
    ).update(severely_low_index=Decimal("65.5"))
    [made] = launch(world, [title], margin=4)
    survey = made.survey
    assert survey.purpose == SurveyPurpose.HOLDER
    assert survey.application == title.application
    assert survey.status == SurveyStatus.ASSIGNED
    assert survey.firm == world.survey_firm
    assert survey.margin == Decimal("4.0")
    assert survey.target_completes > 0
    assert survey.questionnaire.category == title.category
    assert made.severely_low == Decimal("65.5")
    assert made.launched_by == staff(world)
    entry = ActivityLog.objects.get(action="holder_survey.launch")
    assert entry.after["title"] == title.number
    assert ActivityLog.objects.filter(action="survey.assign", object_id=str(survey.pk)).exists()


def test_a_holder_survey_stands_beside_the_application_survey(world, questionnaires):
    title = title_of(world)
    own = with_index(world, title.application, 85.0)
    [made] = launch(world, [title])
    assert set(title.application.surveys.all()) == {own, made.survey}
    assert survey_of_application(title.application) == own


def test_the_applicants_panel_shows_only_the_application_survey(world, questionnaires, client_for):
    title = title_of(world, organisation=world.enterprise)
    with_index(world, title.application, 85.0)
    launch(world, [title])
    from manyi.fieldwork.dashboard import panels

    applicant = [p for p in panels(world.users[Role.ENTERPRISE_USER]) if "调查" in str(p["title"])]
    assert len(applicant) == 1


@pytest.mark.parametrize("status", [TitleStatus.EXPIRED, TitleStatus.REVOKED])
def test_an_expired_or_revoked_title_is_refused_and_nothing_launched(world, questionnaires, status):
    good, bad = title_of(world), title_of(world)
    bad.status = status
    bad.save(update_fields=["status"])
    with pytest.raises(ValidationError) as caught:
        launch(world, [good, bad])
    assert bad.number in " ".join(caught.value.messages)
    assert not HolderSurvey.objects.exists()
    assert not Survey.objects.filter(purpose=SurveyPurpose.HOLDER).exists()


def test_a_title_past_its_validity_is_refused(world, questionnaires):
    title = title_of(world)
    today = timezone.localdate()
    title.__class__.objects.filter(pk=title.pk).update(
        valid_from=today - timedelta(days=400), valid_until=today - timedelta(days=1)
    )
    title.refresh_from_db()
    with pytest.raises(ValidationError, match="有效期"):
        launch(world, [title])


def test_no_firm_is_refused_on_the_field(world, questionnaires):
    with pytest.raises(ValidationError) as caught:
        launch(world, [title_of(world)], firm=None)
    assert "firm" in caught.value.error_dict
    assert not HolderSurvey.objects.exists()


def test_an_application_without_an_accepted_list_is_refused(world, questionnaires):
    title = title_of(world)
    CustomerList.objects.filter(application=title.application).update(is_current=False)
    with pytest.raises(ValidationError, match="用户名单"):
        launch(world, [title])
    assert not HolderSurvey.objects.exists()


def test_a_category_without_a_published_questionnaire_is_refused(world, questionnaires):
    with pytest.raises(ValidationError, match="问卷"):
        launch(world, [title_of(world, "brand")])


def test_a_title_with_a_survey_awaiting_assessment_is_not_surveyed_twice(world, questionnaires):
    title = title_of(world)
    launch(world, [title])
    with pytest.raises(ValidationError, match="尚未判定"):
        launch(world, [title])
    assert HolderSurvey.objects.count() == 1


def test_no_title_chosen_is_refused(world, questionnaires):
    with pytest.raises(ValidationError) as caught:
        launch(world, [])
    assert "titles" in caught.value.error_dict


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.SURVEY_MANAGER])
def test_only_committee_staff_launch(world, questionnaires, role):
    with pytest.raises(PermissionDenied):
        launch(world, [title_of(world)], by=world.users[role])


def test_a_survey_of_an_earlier_title_counts_in_this_years_campaign_and_can_be_drawn(
    world, questionnaires
):
    """Every phone of the list was sampled by the application's own survey in its year; the
    later survey counts in the year it is made, so the firm can still draw from the list."""
    title = title_of(world, campaign=past_campaign(years_ago=2))
    campaign = campaign_now()
    application = title.application
    own = Survey.objects.create(
        application=application,
        campaign=application.campaign,
        firm=world.survey_firm,
        questionnaire=make_questionnaire(staff(world), category=title.category, published=False),
        status=SurveyStatus.RELEASED,
        field_opens=timezone.localdate() - timedelta(days=800),
        field_closes=timezone.localdate() - timedelta(days=770),
        assigned_by=staff(world),
        drawn_at=timezone.now() - timedelta(days=800),
    )
    customers = CustomerList.objects.get(application=application).customers.all()
    SampledContact.objects.bulk_create(
        SampledContact(
            survey=own,
            campaign=application.campaign,
            customer=c,
            position=i + 1,
            phone_key=phone_key(application.campaign_id, c.phone_normalized),
        )
        for i, c in enumerate(customers)
    )
    [made] = launch(world, [title])
    assert made.survey.campaign == campaign
    drawn = draw_sample(survey=made.survey, by=staff(world), seed=1)
    assert drawn.status == SurveyStatus.SAMPLED
    assert drawn.contacts.exists()


def test_the_result_of_a_holder_survey_is_not_released_to_the_holder(world):
    hs = holder_survey(world, index=80)
    assert not RELEASE.allows(staff(world), hs.survey)
    with pytest.raises(ValidationError, match="不向获证单位发布"):
        RELEASE.require(staff(world), hs.survey)


# ------------------------------------------------------------------------------------------
# Assessment


def test_an_index_below_the_line_opens_a_case_by_the_system(world):
    hs = holder_survey(world, index=55.04, line=Decimal("60"))
    done = assess_holder_survey(holder_survey=hs, by=None)
    assert done.index == Decimal("55.00")
    assert done.assessed_at is not None
    case = Revocation.objects.get(holder_survey=hs)
    assert case.status == RevocationStatus.OPENED
    assert case.reason == RevocationReason.LOW_SATISFACTION
    assert case.opened_by is None
    assert "55" in case.facts
    assert "60" in case.facts
    opened = ActivityLog.objects.get(action="revocation.open", object_id=str(case.pk))
    assert opened.actor is None
    assert opened.actor_label == "系统"
    assessed = ActivityLog.objects.get(action="holder_survey.assess")
    assert assessed.actor_label == "系统"
    assert assessed.after["below"] is True
    assert OutboxMessage.objects.filter(
        to=staff(world).email, template="supervision/revocation_opened"
    ).exists()


def test_an_index_on_or_above_the_line_opens_nothing(world):
    hs = holder_survey(world, index=60.0, line=Decimal("60"))
    done = assess_holder_survey(holder_survey=hs, by=None)
    assert done.index == Decimal("60.00")
    assert not Revocation.objects.exists()
    assert ActivityLog.objects.get(action="holder_survey.assess").after["below"] is False


def test_an_assessment_is_made_once(world):
    hs = holder_survey(world, index=40)
    assess_holder_survey(holder_survey=hs, by=None)
    first = HolderSurvey.objects.get(pk=hs.pk).assessed_at
    again = assess_holder_survey(holder_survey=HolderSurvey.objects.get(pk=hs.pk), by=None)
    assert again.assessed_at == first
    assert Revocation.objects.count() == 1
    assert ActivityLog.objects.filter(action="holder_survey.assess").count() == 1


def test_the_finished_run_is_heard_and_heard_twice_changes_nothing(world):
    hs = holder_survey(world, index=45)
    run = hs.survey.run
    run_finished.send(sender=MeasurementRun, run=run)
    run_finished.send(sender=MeasurementRun, run=run)
    hs.refresh_from_db()
    assert hs.index == Decimal("45.00")
    assert Revocation.objects.filter(holder_survey=hs).count() == 1
    assert ActivityLog.objects.filter(action="holder_survey.assess").count() == 1


def test_a_failed_run_is_not_assessed(world):
    hs = holder_survey(world, run_status="failed")
    run_finished.send(sender=MeasurementRun, run=hs.survey.run)
    hs.refresh_from_db()
    assert hs.assessed_at is None
    with pytest.raises(ValidationError, match="暂不能判定"):
        assess_holder_survey(holder_survey=hs, by=staff(world))


def test_another_run_is_not_mistaken_for_a_holder_surveys(world):
    hs = holder_survey(world, index=45)
    from tests.supervision.factories_revisits import finished_run

    run_finished.send(sender=MeasurementRun, run=finished_run(world, index=30))
    hs.refresh_from_db()
    assert hs.assessed_at is None


def test_staff_ask_again_when_the_run_finished_unheard(world):
    hs = holder_survey(world, index=50)
    done = assess_holder_survey(holder_survey=hs, by=staff(world))
    assert done.assessed_at is not None
    case = Revocation.objects.get(holder_survey=hs)
    assert case.opened_by is None  # the rule opens it; the person only asked
    assert ActivityLog.objects.get(action="holder_survey.assess").actor == staff(world)
    with pytest.raises(ValidationError, match="已判定"):
        assess_holder_survey(holder_survey=HolderSurvey.objects.get(pk=hs.pk), by=staff(world))


def test_a_title_with_a_case_in_progress_gets_no_second_case(world):
    hs = holder_survey(world, index=30)
    existing = open_revocation(
        title=hs.title, reason=RevocationReason.FRAUD, facts="材料造假", by=staff(world)
    )
    done = assess_holder_survey(holder_survey=hs, by=None)
    assert done.index == Decimal("30.00")
    assert list(Revocation.objects.all()) == [existing]


def test_only_committee_staff_ask_for_an_assessment(world):
    hs = holder_survey(world, index=50)
    with pytest.raises(PermissionDenied):
        assess_holder_survey(holder_survey=hs, by=world.users[Role.WORKDEPT_STAFF])
