"""The enterprise's pages: the hub, an own survey, the QR code, closing, the plan page, and the
actions drawn on the report page. Others get nothing (403 for other roles, 404 for another
enterprise)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.selfmeasure import plans, selectors
from manyi.selfmeasure.models import ImprovementAction, OwnSurvey, OwnSurveyStatus
from manyi.surveys.models import Visibility
from tests.selfmeasure.factories import (
    answer,
    closed_survey,
    fill,
    own_survey,
    own_upload,
    published_questionnaire,
    simulated_answers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(world, client):
    client.force_login(world.users[Role.ENTERPRISE_USER])
    return client


def test_creating_a_survey_through_the_form(world, owner):
    questionnaire = published_questionnaire(world)
    today = timezone.localdate()
    page = owner.get("/own/surveys/new/").content.decode()
    assert questionnaire.title in page

    response = owner.post(
        "/own/surveys/new/",
        {
            "title": "门店顾客满意度",
            "questionnaire": questionnaire.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today + dt.timedelta(days=20)).isoformat(),
            "target_responses": 150,
        },
    )

    survey = OwnSurvey.objects.get()
    assert response["Location"] == f"/own/surveys/{survey.pk}/"
    assert survey.target_responses == 150
    assert survey.created_by == world.users[Role.ENTERPRISE_USER]


def test_a_bad_form_is_shown_again_with_the_reason(world, owner):
    questionnaire = published_questionnaire(world)
    today = timezone.localdate()
    response = owner.post(
        "/own/surveys/new/",
        {
            "title": "门店顾客满意度",
            "questionnaire": questionnaire.pk,
            "opens_on": today.isoformat(),
            "closes_on": (today - dt.timedelta(days=1)).isoformat(),
            "target_responses": 150,
        },
    )

    assert response.status_code == 200
    assert "截止日期不能早于开始日期" in response.content.decode()
    assert not OwnSurvey.objects.exists()


def test_the_enterprise_category_questionnaire_comes_first(world, owner):
    from tests.applications.helpers import make_application

    published_questionnaire(world, category="brand")
    service = published_questionnaire(world, category="service")
    make_application(world, "service")

    form = owner.get("/own/surveys/new/").context["form"]

    assert list(form.fields["questionnaire"].choices)[0][0] == service.pk


def test_the_survey_page_shows_progress_flags_the_link_and_the_qr_code(world, owner):
    survey = own_survey(world, target=40)
    fill(survey, n=10, seed=51)
    fast = answer(
        survey, simulated_answers(survey.questionnaire, n=1, seed=52)[0], cookie="f", seconds=3
    )

    response = owner.get(f"/own/surveys/{survey.pk}/")

    page = response.content.decode()
    assert response.context["survey"].usable_count == 11
    assert response.context["flagged_count"] == 1
    assert response.context["progress"] == 28  # 11 of 40
    assert f"/q/{survey.token}/" in page
    assert 'src="data:image/svg+xml' in page
    assert f'data-response="{fast.pk}"' in page
    assert "作答过快" in page
    qr = owner.get(f"/own/surveys/{survey.pk}/qr.png")
    assert qr["Content-Type"] == "image/png"
    assert qr.content.startswith(b"\x89PNG")


def test_excluding_from_the_page(world, owner):
    survey = own_survey(world)
    fast = answer(
        survey, simulated_answers(survey.questionnaire, n=1, seed=53)[0], cookie="f", seconds=3
    )

    owner.post(f"/own/surveys/{survey.pk}/responses/{fast.pk}/exclude/")

    fast.refresh_from_db()
    assert fast.excluded is True
    page = owner.get(f"/own/surveys/{survey.pk}/").content.decode()
    assert 'data-action="restore"' in page


def test_closing_from_the_page_says_why_it_was_refused(world, owner):
    survey = fill(own_survey(world), n=3, seed=54)

    response = owner.post(f"/own/surveys/{survey.pk}/close/", follow=True)

    assert "有效回答只有 3 份" in response.content.decode()
    survey.refresh_from_db()
    assert survey.status == OwnSurveyStatus.OPEN


def test_closing_from_the_page_queues_the_run(world, owner):
    survey = fill(own_survey(world), n=35, seed=55)

    response = owner.post(f"/own/surveys/{survey.pk}/close/", follow=True)

    survey.refresh_from_db()
    assert survey.status == OwnSurveyStatus.CLOSED
    assert "调查已结束，正在计算满意度指数" in response.content.decode()
    assert f'data-run="{survey.run_id}"' in response.content.decode()


def test_another_enterprise_finds_none_of_it(world, client):
    survey = own_survey(world)
    run = own_upload(world, seed=56, title="珠江家电2026年门店调查")
    plan = plans.create_plan(run=run, by=world.users[Role.ENTERPRISE_USER])
    client.force_login(world.outsider)

    for path in (
        f"/own/surveys/{survey.pk}/",
        f"/own/surveys/{survey.pk}/qr.png",
        f"/own/plans/{plan.pk}/",
        f"/measurement/runs/{run.pk}/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/own/runs/{run.pk}/plan/").status_code == 404
    page = client.get("/own/").content.decode()
    assert survey.title not in page
    assert run.title not in page
    assert plan.title not in page
    assert 'data-empty="trend"' in page


def test_the_hub_shows_the_index_over_time_and_every_list(world, owner):
    first = closed_survey(world, n=60, seed=57)
    second = own_upload(world, seed=58, title="2027 自有数据")
    plan = plans.create_plan(run=first.run, by=world.users[Role.ENTERPRISE_USER])
    plans.add_action(
        plan=plan,
        by=world.users[Role.ENTERPRISE_USER],
        driver="QUALITY",
        description="培训",
        owner="服务部",
        due_on=dt.date(2030, 1, 1),
    )

    response = owner.get("/own/")

    page = response.content.decode()
    series = response.context["series"]
    assert [row["run"] for row in series] == [first.run, second]
    assert series[0]["value"] == pytest.approx(first.run.result["index"]["SAT"])
    assert series[0]["interval"] == first.run.bootstrap_result["index"]["SAT"]["percentile"]
    assert series[1]["interval"] is None
    # Only the latest points are read (oldest first), however many there are.
    user = world.users[Role.ENTERPRISE_USER]
    assert selectors.done_runs_over_time(user, 1) == [second]
    assert selectors.done_runs_over_time(user, 5) == [first.run, second]
    assert page.count("<circle") == 2
    assert f"{first.run.result['index']['SAT']:.1f}" in page
    assert f'data-survey="{first.pk}"' in page
    assert f'data-plan="{plan.pk}"' in page
    assert "0 / 1" in page
    assert f'data-dataset="{second.dataset_id}"' in page
    assert 'href="/measurement/datasets/new/"' in page


def test_the_report_page_offers_sharing_and_a_plan_to_the_enterprise_only(world, owner):
    run = own_upload(world, seed=59)
    page = owner.get(f"/measurement/runs/{run.pk}/").content.decode()
    assert 'id="own-measurement" data-visibility="private"' in page
    owner.post(f"/own/datasets/{run.dataset_id}/share/")
    page = owner.get(f"/measurement/runs/{run.pk}/").content.decode()
    assert 'data-action="unshare"' in page
    owner.force_login(world.users[Role.COMMITTEE_STAFF])
    page = owner.get(f"/measurement/runs/{run.pk}/").content.decode()
    assert "own-measurement" not in page
    run.dataset.refresh_from_db()

    request = RequestFactory().get(f"/measurement/runs/{run.pk}/")
    request.user = world.users[Role.ENTERPRISE_USER]
    html = render_to_string("selfmeasure/_run_actions.html", {"run": run}, request=request)
    assert 'data-action="unshare"' in html
    assert 'data-action="create-plan"' in html
    assert 'data-action="share"' not in html
    request.user = world.users[Role.COMMITTEE_STAFF]
    assert "data-action" not in render_to_string(
        "selfmeasure/_run_actions.html", {"run": run}, request=request
    )


def test_making_a_plan_from_the_report_and_working_it(world, owner):
    run = own_upload(world, seed=60)

    response = owner.post(f"/own/runs/{run.pk}/plan/")

    plan = run.improvement_plans.get()
    assert response["Location"] == f"/own/plans/{plan.pk}/"
    page = owner.get(f"/own/plans/{plan.pk}/?driver=QUALITY").content.decode()
    assert 'data-table="proposals-constructs"' in page
    assert "感知质量" in page
    assert 'value="QUALITY" selected' in page
    added = owner.post(
        f"/own/plans/{plan.pk}/actions/new/",
        {
            "driver": "QUALITY",
            "indicator": "quality3",
            "description": "延长保修期",
            "owner": "售后服务部",
            "due_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        },
    )
    assert added.status_code == 302
    action = ImprovementAction.objects.get()
    assert action.indicator == "quality3"
    page = owner.get(f"/own/plans/{plan.pk}/").content.decode()
    assert 'data-state="overdue"' in page
    assert "1 项已逾期" in page
    owner.post(f"/own/plans/{plan.pk}/actions/{action.pk}/done/", {"note": "已完成"})
    action.refresh_from_db()
    assert action.done_note == "已完成"
    page = owner.get(f"/own/plans/{plan.pk}/").content.decode()
    assert 'data-state="done"' in page
    assert 'data-next-run="none"' in page


def test_a_bad_action_is_shown_again_with_its_errors(world, owner):
    run = own_upload(world, seed=61)
    plan = plans.create_plan(run=run, by=world.users[Role.ENTERPRISE_USER])

    response = owner.post(
        f"/own/plans/{plan.pk}/actions/new/",
        {
            "driver": "QUALITY",
            "indicator": "value1",
            "description": "x",
            "owner": "y",
            "due_on": "2030-01-01",
        },
    )

    assert response.status_code == 400
    assert "该指标不属于所选的改进对象" in response.content.decode()
    assert not ImprovementAction.objects.exists()


def test_the_plan_page_shows_the_next_measurement(world, owner):
    user = world.users[Role.ENTERPRISE_USER]
    before = closed_survey(world, n=60, seed=62)
    plan = plans.create_plan(run=before.run, by=user)
    plans.add_action(
        plan=plan,
        by=user,
        driver="QUALITY",
        description="培训",
        owner="服务部",
        due_on=dt.date(2030, 1, 1),
    )
    after = closed_survey(world, n=60, seed=63, shift={"QUALITY": 2.0})

    response = owner.get(f"/own/plans/{plan.pk}/")

    page = response.content.decode()
    assert f'data-next-run="{after.run_id}"' in page
    change = response.context["changes"][0]
    assert change.lv == "QUALITY"
    assert 'data-driver="QUALITY" data-beyond="yes"' in page
    assert "明显提高" in page
    assert after.dataset.visibility == Visibility.PRIVATE
