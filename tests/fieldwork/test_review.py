"""The review of flagged responses by the survey firm's manager; staff read along."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.fieldwork.models import QcStatus, Response, SurveyStatus
from manyi.fieldwork.qc.services import review_response
from tests.fieldwork.factories import make_survey
from tests.fieldwork.qc_helpers import complete, flagged_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(world):
    return make_survey(world)


@pytest.fixture
def flagged(world, survey):
    return flagged_response(world, survey)


def manager(world):
    return world.users[Role.SURVEY_MANAGER]


def detail_url(response):
    return reverse("fieldwork:response_detail", args=[response.pk])


def test_the_manager_approves_a_flagged_response(world, flagged):
    review_response(response=flagged, decision="approve", by=manager(world))
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.APPROVED
    assert flagged.qc_by == manager(world)
    assert flagged.qc_at is not None
    entry = ActivityLog.objects.get(action="response.approve")
    assert entry.after == {"qc_status": "approved", "flags": ["straightlining"]}


def test_rejecting_needs_a_reason(world, flagged):
    with pytest.raises(ValidationError) as exc:
        review_response(response=flagged, decision="reject", reason="  ", by=manager(world))
    assert "剔除回答时请写明原因" in str(exc.value)
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.FLAGGED
    assert not ActivityLog.objects.filter(action="response.reject").exists()


def test_a_reason_longer_than_300_characters_is_refused(world, flagged):
    with pytest.raises(ValidationError):
        review_response(response=flagged, decision="reject", reason="长" * 301, by=manager(world))
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.FLAGGED


def test_the_manager_rejects_with_a_reason_on_the_page(world, flagged, client_for):
    response = client_for(Role.SURVEY_MANAGER).post(
        detail_url(flagged), {"decision": "reject", "reason": "所有题目都选 7，疑似敷衍作答"}
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.REJECTED
    assert flagged.qc_reason == "所有题目都选 7，疑似敷衍作答"
    entry = ActivityLog.objects.get(action="response.reject")
    assert entry.note == "所有题目都选 7，疑似敷衍作答"
    assert entry.after["flags"] == ["straightlining"]


def test_a_rejection_without_reason_on_the_page_is_redisplayed(world, flagged, client_for):
    response = client_for(Role.SURVEY_MANAGER).post(detail_url(flagged), {"decision": "reject"})
    assert response.status_code == 200
    assert "剔除回答时请写明原因" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.FLAGGED


def test_two_managers_deciding_at_once_decide_once(world, flagged):
    stale = Response.objects.get(pk=flagged.pk)  # the second manager's page, loaded before
    review_response(response=flagged, decision="approve", by=manager(world))
    with pytest.raises(ValidationError) as exc:
        review_response(response=stale, decision="reject", reason="重复", by=manager(world))
    assert "已由他人处理" in str(exc.value)
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.APPROVED
    assert (
        ActivityLog.objects.filter(action__in=["response.approve", "response.reject"]).count() == 1
    )


def test_a_clean_response_is_not_reviewed(world, survey):
    from manyi.fieldwork.models import SampledContact

    clean = complete(world, SampledContact.objects.get(survey=survey, position=2), score=5)
    with pytest.raises(ValidationError) as exc:
        review_response(response=clean, decision="approve", by=manager(world))
    assert "不在待复核状态" in str(exc.value)


def test_no_review_once_the_survey_left_the_field(world, survey, flagged, client_for):
    survey.status = SurveyStatus.CLOSED
    survey.save(update_fields=["status"])
    flagged.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        review_response(response=flagged, decision="approve", by=manager(world))
    assert "调查不在实施期内" in str(exc.value)
    page = client_for(Role.SURVEY_MANAGER).get(detail_url(flagged)).content.decode()
    assert "提交复核意见" not in page


def test_another_firms_manager_cannot_find_the_response(world, flagged, client_for):
    client = client_for(world.other_firm_manager)
    assert client.get(detail_url(flagged)).status_code == 404
    assert client.post(detail_url(flagged), {"decision": "approve"}).status_code == 404
    listing = client.get(reverse("fieldwork:review_list"))
    assert f'data-response="{flagged.pk}"' not in listing.content.decode()
    with pytest.raises(PermissionDenied):
        review_response(response=flagged, decision="approve", by=world.other_firm_manager)


@pytest.mark.parametrize("role", [Role.COMMITTEE_STAFF, Role.WORKDEPT_STAFF])
def test_staff_read_without_buttons(world, flagged, client_for, role):
    client = client_for(role)
    page = client.get(detail_url(flagged)).content.decode()
    assert "所有评分完全相同" in page  # the flag in words
    assert "提交复核意见" not in page
    assert client.post(detail_url(flagged), {"decision": "approve"}).status_code == 403
    flagged.refresh_from_db()
    assert flagged.qc_status == QcStatus.FLAGGED


def test_the_manager_sees_the_customer_staff_do_not_and_nobody_the_phone(
    world, flagged, client_for
):
    customer = flagged.contact.customer
    as_manager = client_for(Role.SURVEY_MANAGER).get(detail_url(flagged)).content.decode()
    as_staff = client_for(Role.COMMITTEE_STAFF).get(detail_url(flagged)).content.decode()
    assert customer.name in as_manager
    assert customer.name not in as_staff
    assert customer.phone not in as_manager
    assert customer.phone not in as_staff


def test_the_page_shows_answers_with_their_wording(world, flagged, client_for):
    page = client_for(Role.SURVEY_MANAGER).get(detail_url(flagged)).content.decode()
    first = flagged.questionnaire.questions[0]
    assert first["text"]["zh"] in page
    assert "提交复核意见" in page
    assert f'data-duration="{flagged.duration_seconds}"' in page


def test_an_interviewer_may_not_review(world, flagged, client_for):
    client = client_for(Role.SURVEYOR)
    assert client.get(reverse("fieldwork:review_list")).status_code == 403
    assert client.get(detail_url(flagged)).status_code == 403


# ------------------------------------------------------------------------------------------
# The list


def test_the_list_shows_flagged_responses_and_filters_by_flag(world, survey, client_for):
    from manyi.fieldwork.models import SampledContact

    straight = flagged_response(world, survey, position=1)
    quick = complete(world, SampledContact.objects.get(survey=survey, position=2), seconds=5)
    clean = complete(world, SampledContact.objects.get(survey=survey, position=3), score=4)
    client = client_for(Role.SURVEY_MANAGER)
    page = client.get(reverse("fieldwork:review_list")).content.decode()
    assert f'data-response="{straight.pk}"' in page
    assert f'data-response="{quick.pk}"' in page
    assert f'data-response="{clean.pk}"' not in page
    only_fast = client.get(reverse("fieldwork:review_list") + "?flag=too_fast").content.decode()
    assert f'data-response="{quick.pk}"' in only_fast
    assert f'data-response="{straight.pk}"' not in only_fast


def test_the_list_filters_by_survey(world, survey, client_for):
    other = make_survey(world, organisation=world.other_enterprise, phone_base=13500000000)
    mine = flagged_response(world, survey)
    theirs = flagged_response(world, other)
    url = reverse("fieldwork:review_list") + f"?survey={other.pk}"
    page = client_for(Role.COMMITTEE_STAFF).get(url).content.decode()
    assert f'data-response="{theirs.pk}"' in page
    assert f'data-response="{mine.pk}"' not in page


def test_a_decided_response_leaves_the_default_list(world, flagged, client_for):
    review_response(response=flagged, decision="approve", by=manager(world))
    client = client_for(Role.SURVEY_MANAGER)
    page = client.get(reverse("fieldwork:review_list")).content.decode()
    assert f'data-response="{flagged.pk}"' not in page
    every = client.get(reverse("fieldwork:review_list") + "?status=all").content.decode()
    assert f'data-response="{flagged.pk}"' in every


def test_the_list_costs_the_same_queries_for_1_and_3_responses(world, survey, client_for):
    client = client_for(Role.SURVEY_MANAGER)
    url = reverse("fieldwork:review_list")
    flagged_response(world, survey, position=1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).context["page"].paginator.count == 1
    flagged_response(world, survey, position=2)
    flagged_response(world, survey, position=3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).context["page"].paginator.count == 3
    assert len(three) == len(one)


# ------------------------------------------------------------------------------------------
# The survey page's quality section


def render_section(user, survey) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load fieldwork_qc %}{% quality_section %}")
    return template.render(Context({"survey": survey, "request": request}))


def test_the_section_counts_flags_and_reviews_for_the_manager(world, survey):
    flagged_response(world, survey, position=1)
    approved = flagged_response(world, survey, position=2)
    review_response(response=approved, decision="approve", by=manager(world))
    html = render_section(manager(world), survey)
    assert 'data-figure="flagged">1<' in html
    assert 'data-figure="approved">1<' in html
    assert "所有评分完全相同 2" in html
    assert f"?survey={survey.pk}" in html
    assert "抽取回访样本" in html


def test_staff_read_the_section_without_the_draw_button(world, survey):
    flagged_response(world, survey)
    html = render_section(world.users[Role.WORKDEPT_STAFF], survey)
    assert 'data-figure="flagged">1<' in html
    assert "抽取回访样本" not in html


def test_the_section_is_empty_for_interviewers_and_before_the_field(world, survey):
    flagged_response(world, survey)
    assert render_section(world.users[Role.SURVEYOR], survey) == ""
    survey.status = SurveyStatus.SAMPLED
    assert render_section(manager(world), survey) == ""
