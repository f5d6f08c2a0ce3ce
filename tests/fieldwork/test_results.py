"""Closing the fieldwork: the data set and the measurement, the contact details erased; the
applicant's index against the threshold; releasing it; the survey page's result part."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.urls import reverse

from manyi import measurement
from manyi.accounts.roles import Role
from manyi.common.files import private_path
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.fieldwork.access import survey_flags
from manyi.fieldwork.models import (
    QcStatus,
    Response,
    SampledContact,
    SurveyStatus,
)
from manyi.fieldwork.progress import progress_of_one
from manyi.fieldwork.responses import record_response
from manyi.fieldwork.results.services import close_fieldwork, release_result
from manyi.fieldwork.results.summary import survey_result
from manyi.surveys.models import MeasurementRun, ResponseDataset
from tests.fieldwork.factories import answers_for
from tests.fieldwork.results_helpers import answered_survey, closed, respond

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


# ------------------------------------------------------------------------------------------
# Closing


def test_closing_builds_the_data_set_from_the_usable_responses_only(
    world, django_capture_on_commit_callbacks
):
    survey = answered_survey(world, n=40)
    contacts = list(survey.contacts.filter(is_reserve=False).order_by("position"))
    rejected = respond(survey, contacts[40], score=2)
    Response.objects.filter(pk=rejected.pk).update(qc_status=QcStatus.REJECTED)
    screened_out = respond(survey, contacts[41], answers={"screen_customer": False})
    Response.objects.filter(pk=screened_out.pk).update(qc_status=QcStatus.APPROVED)

    with django_capture_on_commit_callbacks(execute=True):
        close_fieldwork(survey=survey, by=staff(world))

    survey.refresh_from_db()
    dataset = survey.dataset
    indicators = list(measurement.load_preset("china").indicators)
    assert dataset.columns == [*indicators, "complaint", "channel"]
    assert dataset.n_rows == 40
    assert dataset.group_column == "channel"
    assert dataset.group_labels == ["phone", "web"]
    assert dataset.organisation == world.committee
    assert dataset.dictionary["sat1"] == "总体满意度"
    rows = list(csv.reader(io.StringIO(private_path(dataset.file_path).read_text("utf-8"))))
    assert len(rows) == 41
    assert "2" not in {cell for row in rows[1:] for cell in row[:-1]}  # the rejected one's scores
    # 不清楚/不适用 is a blank cell: the engine's missing value, never a scale point.
    value2 = rows[0].index("value2")
    assert sum(1 for row in rows[1:] if row[value2] == "") == 6
    assert ActivityLog.objects.filter(action="dataset.from_survey", object_id=dataset.pk).exists()


def test_closing_measures_the_index_reproducibly_and_closes_the_survey(
    world, django_capture_on_commit_callbacks
):
    survey = answered_survey(world, n=40, complaints=4)

    with django_capture_on_commit_callbacks(execute=True):
        close_fieldwork(survey=survey, by=staff(world))

    survey.refresh_from_db()
    run = survey.run
    assert survey.status == SurveyStatus.CLOSED
    assert survey.closed_by == staff(world)
    assert survey.closed_at is not None
    assert run.status == "done"
    assert run.result["index"]["SAT"] > 80
    assert run.bootstrap_result["index"]["SAT"]["percentile"][0] < run.result["index"]["SAT"]
    assert run.seed == survey.seed
    assert run.data_hash == survey.dataset.sha256
    assert run.model_name == "china"
    assert run.engine_version == measurement.ENGINE_VERSION
    assert run.options == {
        "scheme": "path",
        "scaling": "standardized",
        "missing": "mean",
        "resamples": 1000,
    }
    assert ActivityLog.objects.filter(action="survey.closed", object_id=survey.pk).exists()


def test_the_summary_holds_the_complaint_rate_as_a_share_of_respondents(world):
    survey = closed(world, n=40, complaints=4)

    summary = survey.summary
    assert summary["n_usable"] == 40
    assert summary["complaints"] == 4
    assert summary["complaint_rate"] == pytest.approx(0.1)
    assert summary["by_channel"] == {"web": 20, "phone": 20}
    assert summary["progress"]["rr1"] == pytest.approx(40 / 60)
    assert summary["seed"] == survey.seed
    assert summary["questionnaire"]["version"] == survey.questionnaire.version
    assert summary["strata"] == [{"stratum": "", "sample": 60, "usable": 40}]


def test_after_closing_no_contact_detail_is_kept(world, django_capture_on_commit_callbacks):
    survey = answered_survey(world, n=40)
    open_contact = survey.contacts.filter(is_reserve=False).order_by("position").last()
    SampledContact.objects.filter(pk=open_contact.pk).update(
        token_hash="a" * 64, draft_answers={"sat1": 7}, email="kept@example.cn"
    )

    with django_capture_on_commit_callbacks(execute=True):
        close_fieldwork(survey=survey, by=staff(world))

    open_contact.refresh_from_db()
    assert open_contact.token_hash is None
    assert open_contact.draft_answers == {}
    assert not survey.contacts.exclude(email="").exists()


def _nothing_changed(survey, settings):
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.IN_FIELD
    assert survey.dataset is None
    assert not ResponseDataset.objects.exists()
    assert not MeasurementRun.objects.exists()
    assert survey.contacts.exclude(email="").exists()
    folder = settings.MEDIA_ROOT / "datasets"
    assert not folder.exists() or not any(folder.iterdir())


def test_closing_is_refused_while_flagged_responses_remain(world, settings):
    survey = answered_survey(world, n=40)
    contact = survey.contacts.filter(is_reserve=False).order_by("position")[45]
    record_response(  # straight-lined, answered in no time: flagged for the firm's review
        contact=contact,
        answers=answers_for(survey.questionnaire, score=7, vary=False),
        channel="phone",
        started_at=None,
    )

    with pytest.raises(ValidationError) as refused:
        close_fieldwork(survey=survey, by=staff(world))

    assert refused.value.messages == ["还有 1 份回答待调查机构复核，复核完成后才能结束调查"]
    _nothing_changed(survey, settings)


def test_closing_is_refused_with_too_few_usable_responses(world, settings):
    survey = answered_survey(world, n=12)

    with pytest.raises(ValidationError) as refused:
        close_fieldwork(survey=survey, by=staff(world))

    assert refused.value.messages == ["有效回答只有 12 份，至少需要 30 份才能计算满意度指数"]
    _nothing_changed(survey, settings)


def test_closing_is_refused_when_the_engine_cannot_measure_the_data(world, settings):
    survey = answered_survey(world, n=35)
    for response in survey.responses.all():  # nobody could judge the price given the quality
        Response.objects.filter(pk=response.pk).update(answers={**response.answers, "value2": None})

    with pytest.raises(ValidationError) as refused:
        close_fieldwork(survey=survey, by=staff(world))

    assert "调查数据无法计算指数" in refused.value.messages[0]
    assert "value2" in refused.value.messages[0]
    _nothing_changed(survey, settings)


def test_only_staff_who_run_surveys_close_the_fieldwork(world, settings):
    survey = answered_survey(world, n=35)

    for role in (Role.WORKDEPT_STAFF, Role.SURVEY_MANAGER):
        with pytest.raises(PermissionDenied):
            close_fieldwork(survey=survey, by=world.users[role])

    _nothing_changed(survey, settings)


# ------------------------------------------------------------------------------------------
# Releasing


def test_releasing_tells_the_applicants_users_without_figures(world):
    survey = closed(world)

    release_result(survey=survey, by=staff(world))

    survey.refresh_from_db()
    assert survey.status == SurveyStatus.RELEASED
    assert survey.released_by == staff(world)
    mails = OutboxMessage.objects.filter(template="fieldwork_result")
    assert {m.to for m in mails} == {world.users[Role.ENTERPRISE_USER].email, world.colleague.email}
    mail = mails.first()
    assert "调查结果已发布" in mail.subject
    assert f"/applications/{survey.application.pk}/" in mail.body_text
    assert str(survey_result(survey).index) not in mail.body_text
    assert ActivityLog.objects.filter(action="survey.released", object_id=survey.pk).exists()


def test_releasing_waits_for_the_measurement(world):
    survey = closed(world, compute=False)  # the worker has not run yet

    with pytest.raises(ValidationError) as refused:
        release_result(survey=survey, by=staff(world))

    assert refused.value.messages == ["测评计算尚未完成，完成后才能发布结果"]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED
    assert not OutboxMessage.objects.filter(template="fieldwork_result").exists()


# ------------------------------------------------------------------------------------------
# The result against the threshold


def test_the_verdict_is_judged_on_the_point_estimate_both_ways(world):
    above = closed(world, score=9)
    below = closed(world, score=5, organisation=world.other_enterprise, phone_base=13800000000)

    high, low = survey_result(above), survey_result(below)

    assert high.threshold == 80
    assert high.index > 80
    assert high.reached is True
    assert high.interval[0] <= high.index <= high.interval[1]
    assert low.index < 80
    assert low.reached is False


def test_the_result_waits_for_closing(world):
    survey = answered_survey(world, n=5)

    assert survey_result(survey) is None


# ------------------------------------------------------------------------------------------
# The survey page's result part


def _section(world, survey, role):
    request = RequestFactory().get("/")
    request.user = world.users[role] if isinstance(role, str) else role
    context = RequestContext(
        request,
        {
            "survey": survey,
            "progress": progress_of_one(survey),
            **survey_flags(request.user, survey),
        },
    )
    return Template("{% load fieldwork_results %}{% result_section %}").render(context)


def test_the_section_offers_closing_and_counts_the_flagged_responses(world):
    survey = answered_survey(world, n=35)
    contact = survey.contacts.filter(is_reserve=False).order_by("position")[50]
    record_response(
        contact=contact,
        answers=answers_for(survey.questionnaire, score=7, vary=False),
        channel="phone",
        started_at=None,
    )

    html = _section(world, survey, Role.COMMITTEE_STAFF)

    assert reverse("fieldwork:close_fieldwork", args=[survey.pk]) in html
    assert 'data-flagged="1"' in html
    assert "disabled" in html


def test_the_section_shows_the_index_against_the_threshold_to_programme_staff(world):
    survey = closed(world, score=9)

    html = _section(world, survey, Role.WORKDEPT_STAFF)

    assert 'data-verdict="reached"' in html
    assert "达到满意度门槛" in html
    assert f"{survey_result(survey).index:.1f}" in html
    assert reverse("surveys:run_detail", args=[survey.run_id]) in html
    assert reverse("fieldwork:release_result", args=[survey.pk]) not in html  # reads only


def test_the_section_offers_the_release_to_staff_who_run_surveys(world):
    survey = closed(world, score=9)

    html = _section(world, survey, Role.COMMITTEE_STAFF)

    assert reverse("fieldwork:release_result", args=[survey.pk]) in html


def test_the_firm_sees_the_exports_but_not_the_verdict(world):
    survey = closed(world, score=9)

    manager = _section(world, survey, Role.SURVEY_MANAGER)
    surveyor = _section(world, survey, Role.SURVEYOR)

    assert reverse("fieldwork:export_responses", args=[survey.pk]) in manager
    assert "data-verdict" not in manager
    assert surveyor == ""


def test_the_run_status_is_polled_by_programme_staff_only(world, client_for):
    survey = closed(world, compute=False)
    url = reverse("fieldwork:result_status", args=[survey.pk])

    shown = client_for(Role.WORKDEPT_STAFF).get(url)
    refused = client_for(Role.SURVEY_MANAGER).get(url)

    assert shown.status_code == 200
    assert "满意度指数排队等待计算" in shown.content.decode()
    assert 'hx-get="' + url in shown.content.decode()
    assert refused.status_code == 403


# ------------------------------------------------------------------------------------------
# The views


def test_the_close_button_closes_and_says_so(world, client_for, django_capture_on_commit_callbacks):
    survey = answered_survey(world, n=35)
    url = reverse("fieldwork:close_fieldwork", args=[survey.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(Role.COMMITTEE_STAFF).post(url)

    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.CLOSED


def test_a_refused_close_is_a_message_not_an_error(world, client_for):
    survey = answered_survey(world, n=12)
    url = reverse("fieldwork:close_fieldwork", args=[survey.pk])

    response = client_for(Role.COMMITTEE_STAFF).post(url)

    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["有效回答只有 12 份，至少需要 30 份才能计算满意度指数"]
    survey.refresh_from_db()
    assert survey.status == SurveyStatus.IN_FIELD


def test_another_firms_survey_cannot_be_closed_or_exported(world, client):
    survey = answered_survey(world, n=5)
    client.force_login(world.other_firm_manager)

    close = client.post(reverse("fieldwork:close_fieldwork", args=[survey.pk]))
    export = client.get(reverse("fieldwork:export_responses", args=[survey.pk]))

    assert close.status_code == 404
    assert export.status_code == 404
