"""The decision pages: the overview, a category's ranking and its buttons, the POST actions,
the review page's part, the navigation — and nothing of a decision for the applicant before
it is released."""

import pytest
from django.urls import reverse

from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.portal.navigation import navigation_for
from manyi.titles.decisions.services import propose_decision, release_decisions
from manyi.titles.models import Decision, DecisionRelease, Proposal
from tests.titles.decision_helpers import confirmed, evaluated

pytestmark = pytest.mark.django_db


def category_url(application):
    return reverse(
        "titles:decision_category",
        kwargs={"year": application.campaign.year, "category": application.category},
    )


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_overview_counts_each_category(world, client_for):
    first = evaluated(world)
    evaluated(world)
    confirmed(world, first)

    page = html(client_for(Role.WORKDEPT_STAFF).get(reverse("titles:decision_index")))

    row = page.split(f'data-category="{first.campaign.year}-product"')[1].split("</tr>")[0]
    assert category_url(first) in row
    assert (
        '<td class="text-end">2</td><td class="text-end">1</td><td class="text-end">1</td>' in row
    )


def test_the_category_page_shows_the_index_against_the_threshold_and_the_flags(world, client_for):
    above = evaluated(world, index=86.0, interval=(82.0, 90.0))
    below = evaluated(world, index=71.0, interval=(68.0, 74.0))

    page = html(client_for(Role.COMMITTEE_STAFF).get(category_url(above)))

    assert above.organisation.name in page
    assert "86.0" in page
    assert "[82.0, 90.0]" in page
    assert 'data-verdict="above"' in page
    assert 'data-verdict="below"' in page
    assert page.index(above.organisation.name) < page.index(below.organisation.name)
    assert reverse("reviews:detail", args=[below.pk]) in page


def test_staff_see_the_propose_form_and_not_the_confirm_button(world, client_for):
    application = evaluated(world)
    propose_decision(
        application=application,
        by=world.users[Role.COMMITTEE_STAFF],
        proposal=Proposal.AWARD,
        reasons="指数达到门槛",
    )

    page = html(client_for(Role.COMMITTEE_STAFF).get(category_url(application)))

    assert reverse("titles:decision_propose", args=[application.pk]) in page
    assert "data-confirm-decision" not in page
    assert "指数达到门槛" in page


def test_the_administrator_sees_confirm_and_return(world, client_for):
    application = evaluated(world)
    decision = propose_decision(
        application=application,
        by=world.users[Role.COMMITTEE_STAFF],
        proposal=Proposal.AWARD,
        reasons="指数达到门槛",
    )

    page = html(client_for(Role.ASSOCIATION_ADMIN).get(category_url(application)))

    assert reverse("titles:decision_confirm", args=[decision.pk]) in page
    assert reverse("titles:decision_return", args=[decision.pk]) in page


def test_the_work_department_reads_without_buttons(world, client_for):
    application = evaluated(world)

    page = html(client_for(Role.WORKDEPT_STAFF).get(category_url(application)))

    assert application.organisation.name in page
    assert reverse("titles:decision_propose", args=[application.pk]) not in page
    assert (
        reverse("titles:decision_release", args=[application.campaign.year, "product"]) not in page
    )


def test_proposing_through_the_page(world, client_for):
    application = evaluated(world)
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("titles:decision_propose", args=[application.pk]),
        {"proposal": "award", "reasons": "指数和专家评审均优良", "benchmark": "on"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"#a-{application.pk}")
    decision = Decision.objects.get(application=application)
    assert decision.benchmark is True
    assert decision.reasons == "指数和专家评审均优良"


def test_a_refused_proposal_is_told_in_chinese_and_changes_nothing(world, client_for):
    application = evaluated(world, index=65.0)
    client = client_for(Role.COMMITTEE_STAFF)

    response = client.post(
        reverse("titles:decision_propose", args=[application.pk]),
        {"proposal": "award", "reasons": "好"},
        follow=True,
    )

    assert "低于本类别门槛" in response.content.decode()
    assert not Decision.objects.exists()


def test_confirm_and_release_through_the_pages(world, client_for):
    application = evaluated(world)
    decision = propose_decision(
        application=application,
        by=world.users[Role.COMMITTEE_STAFF],
        proposal=Proposal.AWARD,
        reasons="指数达到门槛",
    )
    client = client_for(Role.ASSOCIATION_ADMIN)

    client.post(reverse("titles:decision_confirm", args=[decision.pk]))
    page = html(client.get(category_url(application)))
    assert reverse("titles:decision_release", args=[application.campaign.year, "product"]) in page
    assert "data-confirm=" in page
    response = client.post(
        reverse("titles:decision_release", args=[application.campaign.year, "product"])
    )

    assert response.status_code == 302
    assert DecisionRelease.objects.count() == 1
    application.refresh_from_db()
    assert application.status == Status.IN_NOTICE


def test_the_release_button_is_replaced_by_what_is_missing(world, client_for):
    application = evaluated(world)

    page = html(client_for(Role.ASSOCIATION_ADMIN).get(category_url(application)))

    assert "data-problems" in page
    assert "尚未提出评定意见" in page
    assert (
        reverse("titles:decision_release", args=[application.campaign.year, "product"]) not in page
    )


def test_an_unknown_category_is_not_found(world, client_for):
    response = client_for(Role.COMMITTEE_STAFF).get(
        reverse("titles:decision_category", kwargs={"year": 2026, "category": "nonsense"})
    )

    assert response.status_code == 404


def test_the_review_page_shows_the_decision_state_with_a_link(world, client_for):
    application = evaluated(world)
    confirmed(world, application)

    page = html(
        client_for(Role.WORKDEPT_STAFF).get(reverse("reviews:detail", args=[application.pk]))
    )

    assert 'data-decision-state="confirmed"' in page
    assert category_url(application) in page


def test_the_navigation_leads_programme_staff_to_review_and_decisions(world):
    staff_links = {
        child["name"]
        for group in navigation_for(world.users[Role.WORKDEPT_STAFF])
        for child in group.get("children", [group])
    }
    applicant_links = {
        child["name"]
        for group in navigation_for(world.users[Role.ENTERPRISE_USER])
        for child in group.get("children", [group])
    }

    assert {"reviews:list", "titles:decision_index"} <= staff_links
    assert "titles:decision_index" not in applicant_links


def test_the_applicant_sees_nothing_of_the_decision_before_release(world, client_for):
    application = evaluated(world, organisation=world.enterprise, index=70.0)
    confirmed(world, application, Proposal.NOT_AWARD, reasons="满意度指数七十分，未达门槛")
    client = client_for(Role.ENTERPRISE_USER)

    before = html(client.get(reverse("applications:detail", args=[application.pk])))

    assert "已受理，正在评价" in before
    assert "满意度指数七十分" not in before
    assert "未授予称号" not in before
    assert "不予授予" not in before

    release_decisions(
        campaign=application.campaign, category="product", by=world.users[Role.ASSOCIATION_ADMIN]
    )
    after = html(client.get(reverse("applications:detail", args=[application.pk])))
    assert "未授予称号" in after


def test_the_applicant_cannot_open_the_decision_pages(world, client_for):
    application = evaluated(world, organisation=world.enterprise)
    client = client_for(Role.ENTERPRISE_USER)

    assert client.get(category_url(application)).status_code == 403
    assert client.get(reverse("titles:decision_index")).status_code == 403


# The experts' aggregation belongs to the scoring package and reads its own tables.
SCORING_TABLES = ("reviews_score", "reviews_assignment", "reviews_rubric", "reviews_reviewround")


def own_queries(captured) -> int:
    return sum(1 for q in captured if not any(t in q["sql"] for t in SCORING_TABLES))


def test_the_category_page_reads_the_same_number_of_queries_for_one_or_three(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = evaluated(world)
    confirmed(world, first)
    client = client_for(Role.ASSOCIATION_ADMIN)
    with CaptureQueriesContext(connection) as one:
        client.get(category_url(first))
    confirmed(world, evaluated(world))
    evaluated(world)
    with CaptureQueriesContext(connection) as three:
        page = html(client.get(category_url(first)))

    assert page.count('data-state="') == 3
    assert own_queries(three.captured_queries) == own_queries(one.captured_queries)
