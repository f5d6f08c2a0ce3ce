"""The committee's decision: the ranking, proposing, confirming, returning and releasing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.campaigns.models import CampaignCategory
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.models import FlagKind, FlagStatus, SimilarityFlag, SimilarityRun
from manyi.titles.decisions.selectors import ranking, release_problems, row_for
from manyi.titles.decisions.services import (
    confirm_decision,
    propose_decision,
    release_decisions,
    return_decision,
)
from manyi.titles.models import Decision, DecisionRelease, NoticeKind, Proposal, PublicNotice
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reviews.factories import after_recommendation
from tests.titles.decision_helpers import confirmed, evaluated, scored

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def category_of(application) -> CampaignCategory:
    return CampaignCategory.objects.get(
        campaign=application.campaign, category=application.category
    )


# ------------------------------------------------------------------------------------------
# Ranking


def test_the_ranking_judges_each_index_and_its_interval_against_the_threshold(world):
    above = evaluated(world, index=86.0, interval=(82.0, 90.0))
    straddles = evaluated(world, index=81.0, interval=(78.0, 84.0))
    below = evaluated(world, index=70.0, interval=(66.0, 74.0))
    none = evaluated(world, index=None)

    rows = {row.application.pk: row for row in ranking(category_of(above))}

    assert rows[above.pk].verdict == "above"
    assert rows[straddles.pk].verdict == "straddles"
    assert rows[straddles.pk].reached is True
    assert rows[below.pk].verdict == "below"
    assert rows[none.pk].verdict == "none"
    assert rows[above.pk].interval == [82.0, 90.0]


def test_without_expert_results_the_ranking_goes_by_index(world):
    middle = evaluated(world, index=82.0)
    best = evaluated(world, index=91.0)
    none = evaluated(world, index=None)
    worst = evaluated(world, index=75.0)

    order = [row.application.pk for row in ranking(category_of(best))]

    assert order == [best.pk, middle.pk, worst.pk, none.pk]


def test_the_expert_result_ranks_before_the_index_and_wide_disagreement_is_flagged(world):
    high_index = evaluated(world, index=95.0)
    scored(world, high_index, [5, 5, 5])
    best_experts = evaluated(world, index=82.0)
    scored(world, best_experts, [9, 9, 9])
    split = evaluated(world, index=90.0)
    scored(world, split, [1, 9, 9], recommendation="not_award")
    unscored = evaluated(world, index=99.0)

    rows = ranking(category_of(high_index))

    assert rows[0].application == best_experts
    assert rows[-1].application == unscored
    by_pk = {row.application.pk: row for row in rows}
    assert by_pk[split.pk].expert["dispersed"] is True
    assert by_pk[best_experts.pk].expert["dispersed"] is False
    decision = propose_decision(
        application=best_experts, by=staff(world), proposal=Proposal.AWARD, reasons="专家评审优良"
    )
    assert decision.basis["expert"]["n"] == 3
    assert decision.basis["expert"]["trimmed_mean"] == by_pk[best_experts.pk].expert["trimmed_mean"]


def test_the_ranking_shows_live_similarity_and_appraisal_flags_on_both_sides(world):
    copier = evaluated(world, index=85.0)
    source = evaluated(world, index=86.0)
    cleared = evaluated(world, index=84.0)
    run = SimilarityRun.objects.create(campaign=copier.campaign)
    SimilarityFlag.objects.create(
        run=run, kind=FlagKind.TEXT, application=copier, other=source, share="0.620"
    )
    SimilarityFlag.objects.create(
        run=run, kind=FlagKind.APPRAISAL, application=copier, status=FlagStatus.CONFIRMED
    )
    SimilarityFlag.objects.create(
        run=run,
        kind=FlagKind.TEXT,
        application=cleared,
        other=source,
        share="0.400",
        status=FlagStatus.DISMISSED,
    )

    rows = {row.application.pk: row for row in ranking(category_of(copier))}

    assert len(rows[copier.pk].text_flags) == 1
    assert len(rows[copier.pk].appraisal_flags) == 1
    assert len(rows[source.pk].text_flags) == 1
    assert rows[cleared.pk].text_flags == []


def test_the_ranking_excludes_applications_still_in_formal_review(world):
    evaluated_one = evaluated(world, index=85.0)
    recommended = after_recommendation(
        world, "product", organisation=OrganisationFactory(agency=world.agency)
    )

    pks = [row.application.pk for row in ranking(category_of(evaluated_one))]

    assert evaluated_one.pk in pks
    assert recommended.pk not in pks


# ------------------------------------------------------------------------------------------
# Proposing


def test_a_proposal_stores_what_it_rests_on_and_is_logged(world):
    application = evaluated(world, index=86.0, interval=(83.0, 89.0))

    decision = propose_decision(
        application=application,
        by=staff(world),
        proposal=Proposal.AWARD,
        reasons="指数高于门槛",
        benchmark=True,
    )

    assert decision.benchmark is True
    assert decision.confirmed_at is None
    assert decision.basis["index"] == 86.0
    assert decision.basis["interval"] == [83.0, 89.0]
    assert decision.basis["threshold"] == 80.0
    assert decision.basis["verdict"] == "above"
    assert decision.basis["override"] is False
    assert ActivityLog.objects.filter(
        action="decision.propose", object_id=str(decision.pk)
    ).exists()


def test_reasons_are_required(world):
    application = evaluated(world)

    with pytest.raises(ValidationError, match="请填写评定理由"):
        propose_decision(
            application=application, by=staff(world), proposal=Proposal.AWARD, reasons="  "
        )

    assert not Decision.objects.exists()


def test_a_benchmark_must_be_an_award(world):
    application = evaluated(world)

    with pytest.raises(ValidationError, match="标杆"):
        propose_decision(
            application=application,
            by=staff(world),
            proposal=Proposal.NOT_AWARD,
            reasons="材料雷同",
            benchmark=True,
        )

    assert not Decision.objects.exists()


@pytest.mark.parametrize("index", [72.5, None])
def test_an_award_below_the_threshold_or_without_an_index_needs_the_override(world, index):
    application = evaluated(world, index=index)

    with pytest.raises(ValidationError, match="未达门槛仍拟授予"):
        propose_decision(
            application=application, by=staff(world), proposal=Proposal.AWARD, reasons="表现好"
        )
    assert not Decision.objects.exists()

    decision = propose_decision(
        application=application,
        by=staff(world),
        proposal=Proposal.AWARD,
        reasons="指数低于门槛，但专家现场核查认为改进显著",
        override=True,
    )
    assert decision.basis["override"] is True


def test_the_point_estimate_decides_even_when_the_interval_straddles(world):
    application = evaluated(world, index=80.0, interval=(77.0, 83.0))

    decision = propose_decision(
        application=application, by=staff(world), proposal=Proposal.AWARD, reasons="达到门槛"
    )

    assert decision.basis["verdict"] == "straddles"
    assert decision.basis["override"] is False


def test_proposing_again_before_confirmation_updates_and_logs_before_and_after(world):
    application = evaluated(world, index=70.0)
    first = propose_decision(
        application=application, by=staff(world), proposal=Proposal.NOT_AWARD, reasons="未达门槛"
    )

    second = propose_decision(
        application=application,
        by=staff(world),
        proposal=Proposal.AWARD,
        reasons="复核后仍拟授予",
        override=True,
    )

    assert second.pk == first.pk
    assert Decision.objects.get().proposal == Proposal.AWARD
    entry = ActivityLog.objects.get(action="decision.update")
    assert entry.before["proposal"] == Proposal.NOT_AWARD
    assert entry.after["proposal"] == Proposal.AWARD
    assert entry.after["override"] is True


def test_a_confirmed_decision_cannot_be_proposed_again(world):
    application = evaluated(world)
    confirmed(world, application)

    with pytest.raises(ValidationError, match="已确认"):
        propose_decision(
            application=application, by=staff(world), proposal=Proposal.NOT_AWARD, reasons="改"
        )

    assert Decision.objects.get().proposal == Proposal.AWARD


def test_only_evaluated_applications_get_a_proposal(world):
    application = after_recommendation(world, "product")

    with pytest.raises(ValidationError):
        propose_decision(
            application=application, by=staff(world), proposal=Proposal.AWARD, reasons="好"
        )


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER])
def test_only_the_committee_and_the_administrator_propose(world, role):
    application = evaluated(world)

    with pytest.raises(PermissionDenied):
        propose_decision(
            application=application, by=world.users[role], proposal=Proposal.AWARD, reasons="好"
        )


# ------------------------------------------------------------------------------------------
# Confirming and returning


def test_the_administrator_confirms_once(world):
    application = evaluated(world)
    decision = propose_decision(
        application=application, by=staff(world), proposal=Proposal.AWARD, reasons="好"
    )

    confirm_decision(decision=decision, by=admin(world))

    decision.refresh_from_db()
    assert decision.confirmed_by == admin(world)
    assert ActivityLog.objects.filter(action="decision.confirm").count() == 1
    with pytest.raises(ValidationError):
        confirm_decision(decision=decision, by=admin(world))


def test_committee_staff_cannot_confirm(world):
    decision = propose_decision(
        application=evaluated(world), by=staff(world), proposal=Proposal.AWARD, reasons="好"
    )

    with pytest.raises(PermissionDenied):
        confirm_decision(decision=decision, by=staff(world))

    decision.refresh_from_db()
    assert decision.confirmed_at is None


def test_a_returned_decision_loses_its_confirmation_and_the_proposer_is_told(world):
    application = evaluated(world)
    decision = confirmed(world, application)

    return_decision(decision=decision, by=admin(world), note="请补充专家现场核查情况")

    decision.refresh_from_db()
    assert decision.confirmed_at is None
    assert decision.basis["returned"]["note"] == "请补充专家现场核查情况"
    assert row_for(application).state == "returned"
    mail = OutboxMessage.objects.get(template="decision_returned")
    assert mail.to == staff(world).email
    assert "请补充专家现场核查情况" in mail.body_text
    entry = ActivityLog.objects.get(action="decision.return")
    assert entry.note == "请补充专家现场核查情况"


def test_returning_needs_a_reason(world):
    decision = confirmed(world, evaluated(world))

    with pytest.raises(ValidationError, match="退回原因"):
        return_decision(decision=decision, by=admin(world), note="")

    decision.refresh_from_db()
    assert decision.confirmed_at is not None


def test_a_new_proposal_after_a_return_clears_the_return(world):
    application = evaluated(world)
    return_decision(decision=confirmed(world, application), by=admin(world), note="再议")

    decision = propose_decision(
        application=application, by=staff(world), proposal=Proposal.AWARD, reasons="再议后维持"
    )

    assert "returned" not in decision.basis
    assert row_for(application).state == "proposed"


# ------------------------------------------------------------------------------------------
# Releasing


def test_release_is_refused_while_an_evaluated_application_has_no_confirmed_decision(world):
    done = evaluated(world)
    confirmed(world, done)
    unconfirmed = evaluated(world)
    propose_decision(
        application=unconfirmed, by=staff(world), proposal=Proposal.AWARD, reasons="好"
    )
    missing = evaluated(world)

    with pytest.raises(ValidationError) as refused:
        release_decisions(campaign=done.campaign, category="product", by=admin(world))

    text = " ".join(refused.value.messages)
    assert unconfirmed.organisation.name in text
    assert "尚未经协会确认" in text
    assert missing.organisation.name in text
    assert "尚未提出评定意见" in text
    assert done.organisation.name not in text
    assert not DecisionRelease.objects.exists()
    assert not PublicNotice.objects.exists()
    done.refresh_from_db()
    assert done.status == Status.ACCEPTED


def test_release_is_refused_while_an_application_is_in_formal_review(world):
    done = evaluated(world)
    confirmed(world, done)
    pending = after_recommendation(
        world, "product", organisation=OrganisationFactory(agency=world.agency)
    )

    problems = release_problems(category_of(done))

    assert any(pending.organisation.name in p and "形式审查" in p for p in problems)


def test_release_is_for_the_administrator(world):
    done = evaluated(world)
    confirmed(world, done)

    with pytest.raises(PermissionDenied):
        release_decisions(campaign=done.campaign, category="product", by=staff(world))

    assert not DecisionRelease.objects.exists()


def test_release_moves_every_decision_and_publishes_the_notice_for_the_set_period(world):
    award = evaluated(world, index=90.0)
    benchmark = evaluated(world, index=93.0)
    refused = evaluated(world, index=70.0)
    member = MembershipFactory(organisation=refused.organisation, role=Role.ENTERPRISE_USER).user
    CampaignCategory.objects.filter(campaign=award.campaign, category="product").update(
        public_notice_days=10
    )
    confirmed(world, award)
    confirmed(world, benchmark, benchmark=True)
    confirmed(world, refused, Proposal.NOT_AWARD, reasons="满意度指数低于门槛")

    release = release_decisions(campaign=award.campaign, category="product", by=admin(world))

    for application in (award, benchmark, refused):
        application.refresh_from_db()
    assert award.status == Status.IN_NOTICE
    assert benchmark.status == Status.IN_NOTICE
    assert refused.status == Status.NOT_AWARDED
    notice = PublicNotice.objects.get()
    assert notice.kind == NoticeKind.PUBLICITY
    assert (notice.ends_on - notice.starts_on).days == 10
    assert notice.title == f"{award.campaign.year}年度广州市用户满意产品拟授予名单公示"
    assert "异议" in notice.body
    assert set(notice.decisions.values_list("application_id", flat=True)) == {
        award.pk,
        benchmark.pk,
    }
    assert Decision.objects.filter(release=release).count() == 3
    mail = OutboxMessage.objects.get(template="application_status", to=member.email)
    assert "满意度指数低于门槛" in mail.body_text
    entry = ActivityLog.objects.get(action="decision.release")
    assert entry.after["benchmarks"] == [benchmark.number]


def test_a_category_is_released_once(world):
    done = evaluated(world)
    confirmed(world, done)
    release_decisions(campaign=done.campaign, category="product", by=admin(world))

    with pytest.raises(ValidationError):
        release_decisions(campaign=done.campaign, category="product", by=admin(world))

    assert DecisionRelease.objects.count() == 1
