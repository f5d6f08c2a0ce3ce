"""The holder-survey pages: the list (state, index, line, outcome, the case), the launch form,
"重新判定", and the survey firm's fieldwork pages showing a holder survey as such."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.supervision.holders.services import assess_holder_survey, launch_holder_surveys
from manyi.supervision.models import HolderSurvey, Revocation
from tests.fieldwork.factories import make_questionnaire
from tests.supervision.factories_revisits import holder_survey, title_of

pytestmark = pytest.mark.django_db


def test_the_list_shows_index_line_outcome_and_the_case(world, client_for):
    low = holder_survey(world, index=52, line=Decimal("60"))
    assess_holder_survey(holder_survey=low, by=None)
    fine = holder_survey(world, index=81, line=Decimal("60"))
    assess_holder_survey(holder_survey=fine, by=None)
    waiting = holder_survey(world, closed=False)
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("supervision:holder_list")).text
    assert low.title.number in page
    assert "52.00" in page
    assert "60.00" in page
    assert 'data-outcome="below"' in page
    assert 'data-outcome="not_below"' in page
    assert 'data-outcome="pending"' in page
    case = Revocation.objects.get(holder_survey=low)
    assert reverse("supervision:revocation_detail", args=[case.pk]) in page
    assert reverse("fieldwork:survey_detail", args=[waiting.survey_id]) in page


def test_the_list_filters_by_outcome_and_searches(world, client_for):
    low = holder_survey(world, index=52)
    assess_holder_survey(holder_survey=low, by=None)
    other = holder_survey(world, index=90)
    client = client_for(Role.COMMITTEE_STAFF)
    below = client.get(reverse("supervision:holder_list"), {"outcome": "below"}).text
    assert f'data-holder-survey="{low.pk}"' in below
    assert f'data-holder-survey="{other.pk}"' not in below
    found = client.get(reverse("supervision:holder_list"), {"q": other.title.number}).text
    assert f'data-holder-survey="{other.pk}"' in found
    assert f'data-holder-survey="{low.pk}"' not in found


def test_the_list_costs_the_same_queries_for_one_or_three(world, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    holder_survey(world, index=70)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("supervision:holder_list"))
    holder_survey(world, index=70)
    holder_survey(world, index=70)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("supervision:holder_list"))
    assert len(three) == len(one)


def test_ask_again_is_offered_for_an_unheard_run_and_assesses(world, client_for):
    hs = holder_survey(world, index=50)
    client = client_for(Role.COMMITTEE_STAFF)
    page = client.get(reverse("supervision:holder_list")).text
    assert reverse("supervision:holder_assess", args=[hs.pk]) in page
    response = client.post(reverse("supervision:holder_assess", args=[hs.pk]), follow=True)
    assert "低于严重偏低线" in response.text
    hs.refresh_from_db()
    assert hs.assessed_at is not None
    assert reverse("supervision:holder_assess", args=[hs.pk]) not in response.text


def test_the_work_department_reads_without_buttons(world, client_for):
    hs = holder_survey(world, index=50)
    client = client_for(Role.WORKDEPT_STAFF)
    page = client.get(reverse("supervision:holder_list")).text
    assert hs.title.number in page
    assert reverse("supervision:holder_assess", args=[hs.pk]) not in page
    assert reverse("supervision:holder_launch") not in page
    assert client.post(reverse("supervision:holder_assess", args=[hs.pk])).status_code == 403


def test_launching_through_the_page(world, client_for):
    make_questionnaire(world.users[Role.COMMITTEE_STAFF], category="product")
    title = title_of(world)
    other = title_of(world)
    client = client_for(Role.COMMITTEE_STAFF)
    page = client.get(reverse("supervision:holder_launch"), {"q": title.number}).text
    assert f'data-title="{title.pk}"' in page
    assert f'data-title="{other.pk}"' not in page
    today = timezone.localdate()
    response = client.post(
        reverse("supervision:holder_launch"),
        {
            "titles": [title.pk],
            "firm": world.survey_firm.pk,
            "field_opens": today.isoformat(),
            "field_closes": (today + timedelta(days=30)).isoformat(),
            "margin": "3",
            "confidence": "0.95",
            "expected_response_rate": "0.5",
            "reserve_share": "0.2",
            "max_attempts": "5",
            "callback_share": "0.1",
        },
    )
    assert response.status_code == 302
    assert HolderSurvey.objects.get().title == title


def test_a_refused_launch_names_the_title_on_the_page(world, client_for):
    title = title_of(world, "brand")  # no published questionnaire for brands
    today = timezone.localdate()
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("supervision:holder_launch"),
        {
            "titles": [title.pk],
            "firm": world.survey_firm.pk,
            "field_opens": today.isoformat(),
            "field_closes": (today + timedelta(days=30)).isoformat(),
            "margin": "3",
            "confidence": "0.95",
            "expected_response_rate": "0.5",
            "reserve_share": "0.2",
            "max_attempts": "5",
            "callback_share": "0.1",
        },
    )
    assert response.status_code == 200
    assert title.number in response.text
    assert not HolderSurvey.objects.exists()


def test_the_firm_sees_the_holder_survey_marked_on_its_pages(world, client_for):
    staff = world.users[Role.COMMITTEE_STAFF]
    make_questionnaire(staff, category="product")
    today = timezone.localdate()
    [hs] = launch_holder_surveys(
        titles=[title_of(world)],
        firm=world.survey_firm,
        field_opens=today,
        field_closes=today + timedelta(days=30),
        by=staff,
    )
    manager = client_for(Role.SURVEY_MANAGER)
    listed = manager.get(reverse("fieldwork:survey_list")).text
    assert "data-holder-survey" in listed
    assert "获证后监督调查" in listed
    only_holders = manager.get(reverse("fieldwork:survey_list"), {"purpose": "holder"}).text
    assert reverse("fieldwork:survey_detail", args=[hs.survey_id]) in only_holders
    detail = manager.get(reverse("fieldwork:survey_detail", args=[hs.survey_id]))
    assert detail.status_code == 200
    assert "data-holder-survey" in detail.text
    other = client_for(world.other_firm_manager)
    assert other.get(reverse("fieldwork:survey_detail", args=[hs.survey_id])).status_code == 404


def test_staff_draw_the_sample_of_a_holder_survey_on_the_fieldwork_page(world, client_for):
    staff = world.users[Role.COMMITTEE_STAFF]
    make_questionnaire(staff, category="product")
    today = timezone.localdate()
    [hs] = launch_holder_surveys(
        titles=[title_of(world)],
        firm=world.survey_firm,
        field_opens=today,
        field_closes=today + timedelta(days=30),
        by=staff,
    )
    client = client_for(Role.COMMITTEE_STAFF)
    client.post(reverse("fieldwork:draw_sample", args=[hs.survey_id]))
    hs.survey.refresh_from_db()
    assert hs.survey.status == "sampled"
    assert hs.survey.contacts.exists()
