"""Own surveys through the services: create, responses with quality flags, exclude / restore,
close into a private data set and a run, reopen and close again."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.files import private_path
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import QuestionnaireStatus
from manyi.fieldwork.responses import AlreadyAnswered, SurveyNotInField
from manyi.selfmeasure import services
from manyi.selfmeasure.models import OwnResponse, OwnSurvey, OwnSurveyStatus
from manyi.surveys.datasets import check_table, read_table
from manyi.surveys.models import MeasurementRun, ResponseDataset, RunStatus, Visibility
from tests.selfmeasure.factories import (
    answer,
    closed_survey,
    fill,
    own_survey,
    published_questionnaire,
    simulated_answers,
)

pytestmark = pytest.mark.django_db


def test_creating_a_survey_gives_one_unguessable_link_and_is_logged(world):
    survey = own_survey(world)

    assert survey.organisation == world.enterprise
    assert survey.status == OwnSurveyStatus.OPEN
    assert len(survey.token) >= 43
    assert own_survey(world).token != survey.token
    entry = ActivityLog.objects.get(action="ownsurvey.create", object_id=str(survey.pk))
    assert entry.organisation == world.enterprise


def test_creating_refuses_bad_input_and_stores_nothing(world):
    questionnaire = published_questionnaire(world)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.create_own_survey(
            by=world.users[Role.ENTERPRISE_USER],
            title=" ",
            questionnaire=questionnaire,
            opens_on=today,
            closes_on=today - dt.timedelta(days=1),
            target_responses=5,
        )

    said = refused.value.messages
    assert "请填写调查名称" in said
    assert "截止日期不能早于开始日期" in said
    assert "目标样本量应在 30 到 100000 之间" in said
    assert not OwnSurvey.objects.exists()


def test_a_draft_questionnaire_is_refused(world):
    questionnaire = published_questionnaire(world)
    questionnaire.status = QuestionnaireStatus.DRAFT
    questionnaire.save()

    with pytest.raises(ValidationError, match="只能使用已发布的问卷"):
        own_survey(world, questionnaire=questionnaire)


def test_only_enterprise_users_create_own_surveys(world):
    with pytest.raises(PermissionDenied):
        own_survey(world, user=world.users[Role.AGENCY_STAFF])


def test_responses_are_checked_on_arrival(world):
    survey = own_survey(world)
    clean, other = simulated_answers(survey.questionnaire, n=2, seed=3)

    ok = answer(survey, clean, cookie="a")
    fast = answer(survey, other, cookie="b", seconds=5)
    same = answer(survey, clean, cookie="c")
    flat = {
        k: (7 if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in clean.items()
    }
    straight = answer(survey, flat, cookie="d")

    assert ok.flags == []
    assert fast.flags == ["too_fast"]
    assert same.flags == ["duplicate"]
    assert "straightlining" in straight.flags
    assert not any(r.excluded for r in (ok, fast, same, straight))
    assert ok.complaint is True  # the first simulated respondent complained
    assert ok.respondent_key != "a"
    assert len(ok.respondent_key) == 64


def test_one_response_per_browser(world):
    survey = own_survey(world)
    first, second = simulated_answers(survey.questionnaire, n=2, seed=4)
    answer(survey, first, cookie="same-browser")

    with pytest.raises(AlreadyAnswered):
        answer(survey, second, cookie="same-browser")
    assert survey.responses.count() == 1


def test_a_screened_out_respondent_is_kept_but_never_counted(world):
    survey = own_survey(world)
    answers = {"screen_customer": False}

    response = answer(survey, answers, cookie="x")

    assert response.flags == ["screening_failed"]
    assert response.excluded is True
    with pytest.raises(ValidationError, match="不能恢复"):
        services.restore_response(response=response, by=world.users[Role.ENTERPRISE_USER])


def test_no_response_arrives_once_closed_or_out_of_dates(world):
    survey = own_survey(world)
    answers = simulated_answers(survey.questionnaire, n=1, seed=5)[0]
    OwnSurvey.objects.filter(pk=survey.pk).update(
        closes_on=timezone.localdate() - dt.timedelta(days=1)
    )
    survey.refresh_from_db()

    with pytest.raises(SurveyNotInField):
        answer(survey, answers, cookie="late")
    assert not survey.responses.exists()


def test_exclude_and_restore_a_flagged_response(world):
    survey = own_survey(world)
    clean, other = simulated_answers(survey.questionnaire, n=2, seed=6)
    fine = answer(survey, clean, cookie="a")
    fast = answer(survey, other, cookie="b", seconds=3)
    user = world.users[Role.ENTERPRISE_USER]

    with pytest.raises(ValidationError, match="只能剔除有质量问题的回答"):
        services.exclude_response(response=fine, by=user)
    services.exclude_response(response=fast, by=user)
    assert OwnResponse.objects.get(pk=fast.pk).excluded is True
    services.restore_response(response=fast, by=user)
    assert OwnResponse.objects.get(pk=fast.pk).excluded is False
    assert ActivityLog.objects.filter(action="ownsurvey.exclude").count() == 1
    assert ActivityLog.objects.filter(action="ownsurvey.restore").count() == 1


def test_another_enterprise_cannot_judge_responses(world):
    survey = own_survey(world)
    fast = answer(
        survey, simulated_answers(survey.questionnaire, n=1, seed=7)[0], cookie="a", seconds=2
    )

    with pytest.raises(PermissionDenied):
        services.exclude_response(response=fast, by=world.outsider)
    assert OwnResponse.objects.get(pk=fast.pk).excluded is False


def test_closing_needs_thirty_usable_responses(world):
    survey = fill(own_survey(world), n=29)

    with pytest.raises(ValidationError, match="有效回答只有 29 份，至少需要 30 份"):
        services.close_own_survey(survey=survey, by=world.users[Role.ENTERPRISE_USER])
    survey.refresh_from_db()
    assert survey.status == OwnSurveyStatus.OPEN
    assert not ResponseDataset.objects.exists()


def test_closing_makes_a_private_data_set_with_a_complaint_column_and_a_run(world):
    survey = own_survey(world)
    fill(survey, n=50, seed=8)
    excluded = survey.responses.order_by("pk").first()
    OwnResponse.objects.filter(pk=excluded.pk).update(excluded=True)

    services.close_own_survey(survey=survey, by=world.users[Role.ENTERPRISE_USER])

    survey.refresh_from_db()
    dataset = survey.dataset
    assert survey.status == OwnSurveyStatus.CLOSED
    assert dataset.visibility == Visibility.PRIVATE
    assert dataset.organisation == world.enterprise
    assert dataset.n_rows == 49
    assert dataset.binary_columns == ["complaint"]
    assert dataset.columns[-1] == "complaint"
    assert "sat1" in dataset.columns
    assert dataset.period_start == survey.opens_on
    assert dataset.survey_year == survey.opens_on.year
    table = check_table(
        read_table(private_path(dataset.file_path), "csv"),
        scale_min=dataset.scale_min,
        scale_max=dataset.scale_max,
        binary_columns=dataset.binary_columns,
    )
    complaints = [int(c) for c in table.columns["complaint"]]
    expected = [
        int(r.complaint)
        for r in survey.responses.filter(excluded=False).order_by("submitted_at", "pk")
    ]
    assert complaints == expected
    run = survey.run
    assert run.model_name == "china"
    assert run.options["resamples"] == 200
    assert run.complaint_column == "complaint"
    assert ActivityLog.objects.filter(action="ownsurvey.close", object_id=str(survey.pk)).exists()


def test_the_run_of_a_closed_survey_computes_the_index_and_the_complaint_rate(world):
    survey = closed_survey(world, n=60, seed=9)

    run = MeasurementRun.objects.get(pk=survey.run_id)
    assert run.status == RunStatus.DONE
    assert 0 < run.result["index"]["SAT"] < 100
    assert run.result["complaints"]["answered"] == 60
    assert run.result["complaints"]["yes"] == 12
    assert run.result["ipma"]["target"] == "SAT"
    assert run.bootstrap_result["resamples"] == 200


def test_reopen_and_close_again_makes_a_new_data_set_and_run(world):
    user = world.users[Role.ENTERPRISE_USER]
    survey = closed_survey(world, n=40, seed=10, compute=False)
    first_dataset, first_run = survey.dataset_id, survey.run_id

    with pytest.raises(ValidationError, match="仍在收集中"):
        services.reopen_own_survey(survey=own_survey(world), by=user)
    services.reopen_own_survey(survey=survey, by=user)
    fill(survey, n=5, seed=11, prefix="later")
    services.close_own_survey(survey=survey, by=user)

    survey.refresh_from_db()
    assert survey.dataset_id != first_dataset
    assert survey.run_id != first_run
    assert survey.dataset.n_rows == 45
    assert ResponseDataset.objects.filter(pk=first_dataset).exists()
    assert ActivityLog.objects.filter(action="ownsurvey.reopen").count() == 1


def test_reopening_after_the_closing_date_needs_a_new_date(world):
    user = world.users[Role.ENTERPRISE_USER]
    survey = closed_survey(world, n=30, seed=12, compute=False)
    OwnSurvey.objects.filter(pk=survey.pk).update(
        closes_on=timezone.localdate() - dt.timedelta(days=2)
    )
    survey.refresh_from_db()

    with pytest.raises(ValidationError, match="截止日期不能早于今天"):
        services.reopen_own_survey(survey=survey, by=user)
    new_date = timezone.localdate() + dt.timedelta(days=10)
    services.reopen_own_survey(survey=survey, by=user, closes_on=new_date)
    survey.refresh_from_db()
    assert survey.status == OwnSurveyStatus.OPEN
    assert survey.closes_on == new_date


def test_a_closed_survey_cannot_be_closed_twice(world):
    user = world.users[Role.ENTERPRISE_USER]
    survey = closed_survey(world, n=30, seed=13, compute=False)

    with pytest.raises(ValidationError, match="已经结束"):
        services.close_own_survey(survey=survey, by=user)
    assert ResponseDataset.objects.count() == 1
