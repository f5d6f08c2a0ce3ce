"""Who may be drawn for one application, and each reason that leaves an expert out."""

import pytest

from manyi.accounts.models import ExpertProfile, Membership
from manyi.accounts.roles import Role
from manyi.reviews.experts.eligibility import (
    assess,
    employer_matches,
    names_applicant,
    normalise_name,
    pool,
)
from manyi.reviews.models import Assignment, AssignmentStatus, Declaration, ExpertDraw
from tests.reviews.factories import accepted, make_expert


@pytest.fixture
def application(world):
    return accepted(world)


def reason_of(application, expert) -> str:
    assessment = assess(application)
    assert expert.pk not in assessment.eligible
    return assessment.excluded[expert.pk]


def test_normalise_name_drops_spaces_brackets_and_legal_forms():
    assert normalise_name("广州 珠江家电（集团）有限公司") == "广州珠江家电"
    assert normalise_name("珠江家电股份有限公司") == "珠江家电"
    assert normalise_name("Pearl River Co., Ltd.") == "pearlriver"


def test_employer_equal_to_or_containing_the_applicant_matches():
    assert employer_matches("珠江家电有限公司", "珠江家电有限公司")
    assert employer_matches("珠江 家电股份有限公司", "珠江家电有限公司")
    assert employer_matches("珠江家电有限公司研发中心", "珠江家电有限公司")
    assert not employer_matches("华南理工大学", "珠江家电有限公司")
    assert not employer_matches("", "珠江家电有限公司")


def test_declared_lines_name_the_applicant_by_full_or_short_name():
    assert names_applicant("美的集团\n珠江家电有限公司", "珠江家电有限公司")
    assert names_applicant("格力\n", "珠海格力电器股份有限公司")
    assert not names_applicant("美的集团\n\n", "珠江家电有限公司")
    assert not names_applicant("有限公司", "珠江家电有限公司")


def test_a_declared_expert_free_of_conflicts_is_eligible(world, application):
    expert = make_expert(world, campaign=application.campaign)
    assessment = assess(application)
    assert assessment.eligible == [expert.pk]
    assert assessment.excluded == {}
    assert assessment.needed == 3


def test_no_declaration_this_campaign_excludes(world, application):
    expert = make_expert(world)  # no declaration
    assert "未签署本年度保密和无利益冲突声明" in reason_of(application, expert)


def test_a_declaration_of_another_campaign_does_not_count(world, application):
    from tests.applications.helpers import open_campaign

    expert = make_expert(world)
    earlier = open_campaign(year=application.campaign.year - 1)
    Declaration.objects.create(expert=expert, campaign=earlier, text="去年的声明")
    assert "未签署本年度保密和无利益冲突声明" in reason_of(application, expert)


def test_a_member_of_the_applicant_excludes(world, application):
    expert = make_expert(world, campaign=application.campaign)
    Membership.objects.create(user=expert, organisation=world.enterprise, role=Role.ENTERPRISE_USER)
    assert "是申报单位的成员" in reason_of(application, expert)


def test_the_employer_being_the_applicant_excludes(world, application):
    expert = make_expert(world, campaign=application.campaign, employer="珠江家电股份有限公司")
    assert "工作单位（珠江家电股份有限公司）与申报单位相同或相关" in reason_of(application, expert)


def test_staff_or_expert_of_the_recommending_agency_excludes(world, application):
    agency_expert = make_expert(world, campaign=application.campaign, organisation=world.agency)
    staff_expert = make_expert(world, campaign=application.campaign)
    Membership.objects.create(user=staff_expert, organisation=world.agency, role=Role.AGENCY_STAFF)
    other_agency_expert = make_expert(
        world, campaign=application.campaign, organisation=world.other_agency
    )
    words = "是推荐单位（天河区质量技术协会）的工作人员或专家"
    assert words in reason_of(application, agency_expert)
    assert words in reason_of(application, staff_expert)
    assert other_agency_expert.pk in assess(application).eligible


def test_a_declared_conflict_with_the_applicant_excludes(world, application):
    expert = make_expert(world, campaign=application.campaign)
    Declaration.objects.get(expert=expert).conflicts.add(world.enterprise)
    other = make_expert(world, campaign=application.campaign)
    Declaration.objects.get(expert=other).conflicts.add(world.other_enterprise)
    assert "声明与申报单位有利益关系" in reason_of(application, expert)
    assert other.pk in assess(application).eligible


def test_the_applicant_among_declared_competitors_excludes(world, application):
    expert = make_expert(world, campaign=application.campaign)
    Declaration.objects.filter(expert=expert).update(competitors="美的集团\n珠江家电")
    assert "声明的曾任职、顾问或竞争关系单位包含申报单位" in reason_of(application, expert)


def test_the_workload_cap_excludes(world, application):
    setting = application.campaign.categories.get(category=application.category)
    setting.expert_workload_cap = 2
    setting.save()
    expert = make_expert(world, campaign=application.campaign)
    for _n in range(2):
        other = accepted(world, organisation=_new_enterprise(), campaign=application.campaign)
        draw = ExpertDraw.objects.create(
            application=other, seed=1, needed=1, drawn_by=world.users[Role.COMMITTEE_STAFF]
        )
        Assignment.objects.create(draw=draw, application=other, expert=expert, position=0)
    assessment = assess(application)
    assert assessment.load[expert.pk] == 2
    assert "本年度本类别已指派 2 份，达到上限 2 份" in assessment.excluded[expert.pk]


def test_declined_assignments_and_other_categories_do_not_count_towards_the_cap(world, application):
    setting = application.campaign.categories.get(category=application.category)
    setting.expert_workload_cap = 1
    setting.save()
    expert = make_expert(world, campaign=application.campaign)
    declined = accepted(world, organisation=_new_enterprise(), campaign=application.campaign)
    service = accepted(
        world, "service", organisation=_new_enterprise(), campaign=application.campaign
    )
    for other, status in (
        (declined, AssignmentStatus.DECLINED),
        (service, AssignmentStatus.ACTIVE),
    ):
        draw = ExpertDraw.objects.create(
            application=other, seed=1, needed=1, drawn_by=world.users[Role.COMMITTEE_STAFF]
        )
        Assignment.objects.create(
            draw=draw, application=other, expert=expert, position=0, status=status
        )
    assert assess(application).eligible == [expert.pk]


def test_every_reason_is_given_not_only_the_first(world, application):
    expert = make_expert(world, employer="珠江家电有限公司")
    reasons = reason_of(application, expert)
    assert "未签署本年度保密和无利益冲突声明" in reasons
    assert "与申报单位相同或相关" in reasons


def test_the_pool_leaves_out_the_unavailable_and_those_out_of_the_pool(world, application):
    available = make_expert(world, campaign=application.campaign)
    away = make_expert(world, campaign=application.campaign)
    ExpertProfile.objects.filter(user=away).update(available=False, unavailable_note="出国")
    retired = make_expert(world, campaign=application.campaign)
    ExpertProfile.objects.filter(user=retired).update(in_pool=False)
    left = make_expert(world, campaign=application.campaign)
    Membership.objects.filter(user=left).update(is_active=False)
    assert list(pool().values_list("pk", flat=True)) == [available.pk]
    assert assess(application).eligible == [available.pk]


def test_the_assessment_takes_a_few_queries_whatever_the_pool(
    world, application, django_assert_max_num_queries
):
    for _n in range(12):
        make_expert(world, campaign=application.campaign)
    with django_assert_max_num_queries(7):
        assessment = assess(application)
    assert len(assessment.eligible) == 12


_enterprises = iter(range(1, 1000))


def _new_enterprise():
    from tests.factories import OrganisationFactory

    return OrganisationFactory(name=f"测试企业{next(_enterprises)}有限公司")
