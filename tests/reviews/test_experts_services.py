"""The declaration, the seeded draw of experts, and the changes to a draw (replace, decline)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.models import ExpertProfile, Membership
from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.experts import services
from manyi.reviews.experts.draw import shuffled
from manyi.reviews.models import Assignment, AssignmentStatus, Declaration, ExpertDraw
from tests.reviews.factories import accepted, after_recommendation, make_expert

SEED = 20260101


@pytest.fixture
def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


@pytest.fixture
def application(world):
    return accepted(world)


@pytest.fixture
def experts(world, application):
    return [make_expert(world, campaign=application.campaign) for _n in range(6)]


def drawn_ids(record) -> list[int]:
    return [a.expert_id for a in record.assignments.order_by("position")]


# ------------------------------------------------------------------------------------------
# Draw


def test_the_draw_stores_seed_candidates_and_one_assignment_per_expert(
    world, staff, application, experts
):
    outsider = make_expert(world)  # no declaration: excluded, with the reason
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    order = shuffled([e.pk for e in experts], SEED)
    assert record.seed == SEED
    assert record.needed == 3
    assert record.candidates == sorted(e.pk for e in experts)
    assert record.excluded == {str(outsider.pk): "未签署本年度保密和无利益冲突声明"}
    assert drawn_ids(record) == order[:3]
    assert list(record.assignments.values_list("position", flat=True)) == [0, 1, 2]


def test_the_same_seed_gives_the_same_experts(world, staff, application, experts):
    first = drawn_ids(services.draw_experts(application=application, by=staff, seed=SEED))
    ExpertDraw.objects.filter(application=application).delete()
    application.refresh_from_db()
    again = drawn_ids(services.draw_experts(application=application, by=staff, seed=SEED))
    assert again == first


def test_another_seed_is_drawn_from_secrets_when_none_is_given(staff, application, experts):
    record = services.draw_experts(application=application, by=staff)
    assert 0 <= record.seed < services.SEED_LIMIT
    assert services.check_draw(application)


def test_the_draw_is_logged_and_each_expert_mailed(staff, application, experts):
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    entry = ActivityLog.objects.get(action="expert.draw")
    assert entry.after["seed"] == SEED
    assert entry.after["candidates"] == 6
    assert entry.after["drawn"] == drawn_ids(record)
    assert entry.object_id == str(application.pk)
    mailed = set(
        OutboxMessage.objects.filter(template="expert_assigned").values_list("to", flat=True)
    )
    assert mailed == {a.expert.email for a in record.assignments.all()}


def test_check_draw_confirms_the_stored_draw(staff, application, experts):
    services.draw_experts(application=application, by=staff, seed=SEED)
    application.refresh_from_db()
    assert services.check_draw(application) is True


def test_check_draw_notices_an_expert_put_in_by_hand(world, staff, application, experts):
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    first = record.assignments.get(position=0)
    stranger = next(e for e in experts if e.pk not in drawn_ids(record))
    Assignment.objects.filter(pk=first.pk).update(expert=stranger)
    application.refresh_from_db()
    assert services.check_draw(application) is False


def test_an_expert_without_a_declaration_is_never_drawn(world, staff, application):
    declared = [make_expert(world, campaign=application.campaign) for _n in range(3)]
    undeclared = [make_expert(world) for _n in range(10)]
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    assert set(drawn_ids(record)) == {e.pk for e in declared}
    assert not set(record.candidates) & {e.pk for e in undeclared}


def test_too_few_eligible_experts_refuse_the_draw_and_store_nothing(world, staff, application):
    make_expert(world, campaign=application.campaign)
    make_expert(world, campaign=application.campaign)
    make_expert(world)  # not declared
    with pytest.raises(ValidationError) as refused:
        services.draw_experts(application=application, by=staff, seed=SEED)
    assert "符合条件的专家只有 2 位，少于每份申报所需的 3 位" in refused.value.messages[0]
    assert not ExpertDraw.objects.exists()
    assert not Assignment.objects.exists()
    assert not ActivityLog.objects.filter(action="expert.draw").exists()
    assert not OutboxMessage.objects.filter(template="expert_assigned").exists()


def test_the_number_drawn_follows_the_category_setting(world, staff, application, experts):
    application.campaign.categories.filter(category=application.category).update(
        experts_per_application=5
    )
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    assert record.needed == 5
    assert record.assignments.count() == 5


def test_the_cap_is_respected_across_applications(world, staff, application):
    application.campaign.categories.update(experts_per_application=2, expert_workload_cap=1)
    for _n in range(4):
        make_expert(world, campaign=application.campaign)
    second = accepted(world, organisation=world.other_enterprise, campaign=application.campaign)
    first = drawn_ids(services.draw_experts(application=application, by=staff, seed=SEED))
    second_ids = drawn_ids(services.draw_experts(application=second, by=staff, seed=SEED))
    assert not set(first) & set(second_ids)
    # Every expert is at the cap in the brand category now; the cap counts per category, so
    # service applications draw from the same four experts again.
    third = accepted(world, "service", campaign=application.campaign)
    fourth = accepted(
        world, "service", organisation=world.other_enterprise, campaign=application.campaign
    )
    third_ids = drawn_ids(services.draw_experts(application=third, by=staff, seed=SEED))
    fourth_ids = drawn_ids(services.draw_experts(application=fourth, by=staff, seed=SEED))
    assert not set(third_ids) & set(fourth_ids)


def test_no_expert_is_drawn_beyond_the_cap(world, staff, application):
    application.campaign.categories.update(experts_per_application=2, expert_workload_cap=1)
    for _n in range(3):
        make_expert(world, campaign=application.campaign)
    services.draw_experts(application=application, by=staff, seed=SEED)
    second = accepted(world, organisation=world.other_enterprise, campaign=application.campaign)
    with pytest.raises(ValidationError) as refused:
        services.draw_experts(application=second, by=staff, seed=SEED)
    assert "符合条件的专家只有 1 位" in refused.value.messages[0]
    assert ExpertDraw.objects.count() == 1


def test_the_draw_is_refused_to_others_and_before_acceptance(world, staff, application, experts):
    recommended = after_recommendation(
        world, organisation=world.other_enterprise, campaign=application.campaign
    )
    with pytest.raises(ValidationError):
        services.draw_experts(application=recommended, by=staff)
    with pytest.raises(PermissionDenied):
        services.draw_experts(application=application, by=world.users[Role.WORKDEPT_STAFF])
    with pytest.raises(PermissionDenied):
        services.draw_experts(application=application, by=experts[0])
    assert not ExpertDraw.objects.exists()


def test_a_second_draw_is_refused(staff, application, experts):
    services.draw_experts(application=application, by=staff, seed=SEED)
    application.refresh_from_db()
    with pytest.raises(ValidationError):
        services.draw_experts(application=application, by=staff, seed=SEED + 1)
    assert ExpertDraw.objects.get().seed == SEED


# ------------------------------------------------------------------------------------------
# Replace and decline


@pytest.fixture
def drawn(staff, application, experts):
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    OutboxMessage.objects.all().delete()
    return record


def test_replace_takes_the_next_candidate_and_logs_the_reason(world, staff, drawn):
    order = shuffled(drawn.candidates, SEED)
    old = drawn.assignments.get(position=1)
    new = services.replace_expert(assignment=old, by=staff, reason="与申报单位存在合作关系")
    old.refresh_from_db()
    assert old.status == AssignmentStatus.REPLACED
    assert old.reason == "与申报单位存在合作关系"
    assert old.changed_by == staff
    assert (new.position, new.expert_id) == (3, order[3])
    entry = ActivityLog.objects.get(action="expert.replace")
    assert entry.note == "与申报单位存在合作关系"
    assert entry.before["expert"] == old.expert_id
    assert entry.after["expert"] == order[3]
    templates = dict(OutboxMessage.objects.values_list("to", "template"))
    assert templates == {old.expert.email: "expert_released", new.expert.email: "expert_assigned"}


def test_replace_skips_a_candidate_who_is_no_longer_eligible(world, staff, application, drawn):
    order = shuffled(drawn.candidates, SEED)
    # The next one down has since joined the applicant, the one after went abroad.
    Membership.objects.create(
        user_id=order[3], organisation=world.enterprise, role=Role.ENTERPRISE_USER
    )
    ExpertProfile.objects.filter(user_id=order[4]).update(available=False)
    new = services.replace_expert(
        assignment=drawn.assignments.get(position=0), by=staff, reason="身体原因"
    )
    assert (new.position, new.expert_id) == (5, order[5])


def test_replacements_continue_down_the_list(staff, drawn):
    order = shuffled(drawn.candidates, SEED)
    first = services.replace_expert(
        assignment=drawn.assignments.get(position=0), by=staff, reason="甲"
    )
    second = services.replace_expert(assignment=first, by=staff, reason="乙")
    assert (second.position, second.expert_id) == (4, order[4])
    assert drawn.assignments.filter(status=AssignmentStatus.ACTIVE).count() == 3


def test_replace_needs_a_reason(staff, drawn):
    assignment = drawn.assignments.get(position=0)
    with pytest.raises(ValidationError) as refused:
        services.replace_expert(assignment=assignment, by=staff, reason="  ")
    assert refused.value.messages == ["请填写替换原因"]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert Assignment.objects.count() == 3


def test_nobody_left_to_replace_keeps_the_current_state(world, staff, application):
    for _n in range(3):
        make_expert(world, campaign=application.campaign)
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    assignment = record.assignments.get(position=0)
    with pytest.raises(ValidationError) as refused:
        services.replace_expert(assignment=assignment, by=staff, reason="回避")
    assert "已没有符合条件的专家" in refused.value.messages[0]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    assert Assignment.objects.count() == 3
    assert not ActivityLog.objects.filter(action="expert.replace").exists()


def test_only_committee_staff_replace(world, drawn):
    with pytest.raises(PermissionDenied):
        services.replace_expert(
            assignment=drawn.assignments.get(position=0),
            by=world.users[Role.WORKDEPT_STAFF],
            reason="试试",
        )


def test_decline_takes_the_next_candidate_and_tells_the_staff(world, drawn):
    order = shuffled(drawn.candidates, SEED)
    assignment = drawn.assignments.get(position=2)
    new = services.decline_assignment(
        assignment=assignment, by=assignment.expert, reason="曾为该企业提供咨询"
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    assert assignment.reason == "曾为该企业提供咨询"
    assert (new.position, new.expert_id) == (3, order[3])
    entry = ActivityLog.objects.get(action="expert.decline")
    assert entry.note == "曾为该企业提供咨询"
    assert entry.actor == assignment.expert
    staff_mail = OutboxMessage.objects.get(template="expert_declined")
    assert staff_mail.to == world.users[Role.COMMITTEE_STAFF].email
    assert "曾为该企业提供咨询" in staff_mail.body_text
    assert OutboxMessage.objects.get(template="expert_assigned").to == new.expert.email


def test_an_expert_declines_only_their_own_assignment(drawn):
    mine = drawn.assignments.get(position=0)
    theirs = drawn.assignments.get(position=1)
    with pytest.raises(PermissionDenied):
        services.decline_assignment(assignment=theirs, by=mine.expert, reason="不想")
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.ACTIVE


def test_a_closed_assignment_cannot_be_declined_again(drawn):
    assignment = drawn.assignments.get(position=0)
    services.decline_assignment(assignment=assignment, by=assignment.expert, reason="出差")
    assignment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.decline_assignment(assignment=assignment, by=assignment.expert, reason="出差")
    assert Assignment.objects.count() == 4


def test_the_redo_check_still_holds_after_replacements(staff, application, drawn):
    services.replace_expert(assignment=drawn.assignments.get(position=0), by=staff, reason="甲")
    application.refresh_from_db()
    assert services.check_draw(application) is True


# ------------------------------------------------------------------------------------------
# Declaration


def test_signing_stores_the_text_as_signed_with_the_interests(world, application):
    expert = make_expert(world, name="王工")
    declaration = services.sign_declaration(
        expert=expert,
        campaign=application.campaign,
        conflicts=[world.enterprise],
        competitors="美的集团\n\n美的集团\n 格力电器 ",
    )
    assert list(declaration.conflicts.all()) == [world.enterprise]
    assert declaration.competitors == "美的集团\n格力电器"
    assert "本人王工" in declaration.text
    assert "严格保密" in declaration.text
    assert "珠江家电有限公司" in declaration.text
    assert "美的集团、格力电器" in declaration.text
    entry = ActivityLog.objects.get(action="expert.declaration_sign")
    assert entry.after["conflicts"] == [world.enterprise.pk]


def test_a_declaration_is_signed_once_a_campaign(world, application):
    expert = make_expert(world, campaign=application.campaign)
    with pytest.raises(ValidationError):
        services.sign_declaration(
            expert=expert, campaign=application.campaign, conflicts=[], competitors=""
        )
    assert Declaration.objects.filter(expert=expert).count() == 1


def test_only_experts_sign(world, application):
    with pytest.raises(PermissionDenied):
        services.sign_declaration(
            expert=world.users[Role.COMMITTEE_STAFF],
            campaign=application.campaign,
            conflicts=[],
            competitors="",
        )
    assert not Declaration.objects.exists()


def test_a_signed_declaration_makes_the_expert_drawable(world, staff, application):
    experts = [make_expert(world) for _n in range(3)]
    for expert in experts:
        services.sign_declaration(
            expert=expert, campaign=application.campaign, conflicts=[], competitors=""
        )
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    assert set(drawn_ids(record)) == {e.pk for e in experts}


def test_a_declared_conflict_keeps_the_expert_out_of_the_draw(world, staff, application):
    free = [make_expert(world, campaign=application.campaign) for _n in range(3)]
    conflicted = make_expert(world)
    services.sign_declaration(
        expert=conflicted,
        campaign=application.campaign,
        conflicts=[world.enterprise],
        competitors="",
    )
    record = services.draw_experts(application=application, by=staff, seed=SEED)
    assert set(drawn_ids(record)) == {e.pk for e in free}
    assert record.excluded[str(conflicted.pk)] == "声明与申报单位有利益关系"


def test_status_is_checked_again_inside_the_transaction(world, staff, application, experts):
    """The page was loaded when the application was accepted; it has since moved on."""
    from manyi.applications.models import Application

    Application.objects.filter(pk=application.pk).update(status=Status.NOT_AWARDED)
    with pytest.raises(ValidationError):
        services.draw_experts(application=application, by=staff, seed=SEED)
    assert not ExpertDraw.objects.exists()
