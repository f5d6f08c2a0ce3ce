"""Revisit confirmation (Art. 23): choosing holders by hand and by a reproducible draw, experts
without conflict, the notice, the result, and a failure turned into a proposal to revoke."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.models import Declaration
from manyi.supervision.models import (
    Evidence,
    Revisit,
    RevisitDraw,
    RevisitExpert,
    RevisitStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
)
from manyi.supervision.revisits import services
from manyi.supervision.revocations.opening import open_revocation
from manyi.titles.models import TitleStatus
from tests.factories import MembershipFactory
from tests.supervision.factories_revisits import (
    campaign_now,
    experts,
    notified,
    revisit,
    title_of,
)
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def later(days=14):
    return timezone.localdate() + timedelta(days=days)


def logged(action, obj=None):
    qs = ActivityLog.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(object_id=str(obj.pk), object_type=obj._meta.label_lower)
    return qs


# ------------------------------------------------------------------------------------------
# Choosing holders


def test_planning_by_hand_makes_a_planned_revisit_per_title_and_logs_it(world):
    titles = [title_of(world), title_of(world, "service")]
    made = services.plan_revisits(
        titles=titles, visit_on=later(), prepare="称号证书、牌匾", by=staff(world)
    )
    assert {r.title_id for r in made} == {t.pk for t in titles}
    assert {r.status for r in made} == {RevisitStatus.PLANNED}
    assert all(r.batch_id is None for r in made)
    assert logged("revisit.plan").count() == 2
    assert not OutboxMessage.objects.filter(template__startswith="supervision/revisit").exists()


def test_planning_is_all_or_nothing_and_names_each_refused_title(world):
    good, expired = title_of(world), title_of(world)
    expired.status = TitleStatus.EXPIRED
    expired.save(update_fields=["status"])
    with pytest.raises(ValidationError) as caught:
        services.plan_revisits(
            titles=[good, expired], visit_on=later(), prepare="材料", by=staff(world)
        )
    assert expired.number in " ".join(caught.value.messages)
    assert good.number not in " ".join(caught.value.messages)
    assert not Revisit.objects.exists()


def test_a_title_with_a_revisit_ahead_is_not_planned_twice(world):
    title = title_of(world)
    services.plan_revisits(titles=[title], visit_on=later(), prepare="材料", by=staff(world))
    with pytest.raises(ValidationError, match="已安排回访"):
        services.plan_revisits(titles=[title], visit_on=later(20), prepare="材料", by=staff(world))
    assert Revisit.objects.count() == 1


@pytest.mark.parametrize(
    ("visit_on", "prepare", "field"),
    [(-1, "材料", "visit_on"), (10, "  ", "prepare")],
)
def test_a_past_date_or_nothing_to_prepare_is_refused(world, visit_on, prepare, field):
    title = title_of(world)
    with pytest.raises(ValidationError) as caught:
        services.plan_revisits(
            titles=[title], visit_on=later(visit_on), prepare=prepare, by=staff(world)
        )
    assert field in caught.value.error_dict
    assert not Revisit.objects.exists()


def test_a_title_expiring_before_the_visit_is_refused(world):
    title = title_of(world)
    with pytest.raises(ValidationError, match="早于回访日期"):
        services.plan_revisits(
            titles=[title],
            visit_on=title.valid_until + timedelta(days=1),
            prepare="材料",
            by=staff(world),
        )


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.EXPERT, Role.ENTERPRISE_USER])
def test_only_committee_staff_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.plan_revisits(
            titles=[title_of(world)], visit_on=later(), prepare="材料", by=world.users[role]
        )


def test_the_default_what_to_prepare_names_the_certificate_and_the_complaint_records():
    text = services.default_prepare()
    assert "称号证书" in text
    assert "牌匾" in text
    assert "顾客投诉处理记录" in text
    assert "改进措施" in text


def test_a_draw_is_stored_and_redoing_it_gives_the_same_holders(world):
    titles = [title_of(world, "service") for _ in range(6)]
    record = services.draw_revisit_holders(
        year=None, category="service", size=3, visit_on=later(), prepare="材料", by=staff(world)
    )
    assert record.population == sorted(t.pk for t in titles)
    assert len(record.drawn) == 3
    assert services.check_revisit_draw(record)
    revisits = Revisit.objects.filter(batch=record)
    assert sorted(r.title_id for r in revisits) == sorted(record.drawn)
    entry = logged("revisit.draw", record).get()
    assert entry.after["seed"] == record.seed
    assert entry.after["drawn"] == record.drawn


def test_the_same_seed_over_the_same_population_draws_the_same_titles(world):
    for _ in range(8):
        title_of(world, "engineering")
    first = services.draw_revisit_holders(
        year=None,
        category="engineering",
        size=4,
        visit_on=later(),
        prepare="材料",
        by=staff(world),
        seed=2026,
    )
    Revisit.objects.filter(batch=first).update(status=RevisitStatus.CANCELLED)
    second = services.draw_revisit_holders(
        year=None,
        category="engineering",
        size=4,
        visit_on=later(),
        prepare="材料",
        by=staff(world),
        seed=2026,
    )
    assert second.drawn == first.drawn


def test_a_tampered_draw_fails_its_check(world):
    for _ in range(4):
        title_of(world, "brand")
    record = services.draw_revisit_holders(
        year=None, category="brand", size=2, visit_on=later(), prepare="材料", by=staff(world)
    )
    left_out = next(i for i in record.population if i not in record.drawn)
    RevisitDraw.objects.filter(pk=record.pk).update(drawn=[left_out, record.drawn[1]])
    record.refresh_from_db()
    assert not services.check_revisit_draw(record)


def test_the_draw_filters_the_population_and_leaves_out_titles_with_a_revisit_ahead(world):
    wanted = [title_of(world, "product") for _ in range(3)]
    title_of(world, "service")  # another category
    busy = wanted.pop()
    services.plan_revisits(titles=[busy], visit_on=later(), prepare="材料", by=staff(world))
    record = services.draw_revisit_holders(
        year=timezone.localdate().year,
        category="product",
        size=2,
        visit_on=later(),
        prepare="材料",
        by=staff(world),
    )
    assert sorted(record.population) == sorted(t.pk for t in wanted)


def test_a_draw_larger_than_the_population_is_refused_and_nothing_stored(world):
    title_of(world, "service")
    with pytest.raises(ValidationError, match="只有 1 个"):
        services.draw_revisit_holders(
            year=None,
            category="service",
            size=2,
            visit_on=later(),
            prepare="材料",
            by=staff(world),
        )
    assert not RevisitDraw.objects.exists()
    assert not Revisit.objects.exists()


# ------------------------------------------------------------------------------------------
# Experts


def test_experts_are_drawn_from_the_eligible_with_a_leader_and_the_excluded_kept(world):
    title = title_of(world)
    pool = experts(world, 3)
    member = experts(world, 1)[0]
    MembershipFactory(user=member, organisation=title.organisation, role=Role.ENTERPRISE_USER)
    declared = experts(world, 1)[0]
    Declaration.objects.get(expert=declared).conflicts.add(title.organisation)
    from manyi.accounts.models import ExpertProfile

    unsigned = experts(world, 1, campaign=None)[0]
    Declaration.objects.filter(expert=unsigned).delete()
    employee = experts(world, 1)[0]
    ExpertProfile.objects.filter(user=employee).update(employer=title.organisation.name)
    planned = revisit(world, title, visit_on=later())
    done = services.draw_revisit_experts(revisit=planned, by=staff(world), seed=11)
    team = list(done.experts.order_by("position"))
    assert len(team) == services.REVISIT_EXPERTS
    assert {e.expert_id for e in team} <= {e.pk for e in pool}
    assert [e.leader for e in team] == [True, False]
    assert done.expert_seed == 11
    for person, words in (
        (member, "成员"),
        (declared, "利益关系"),
        (unsigned, "未签署"),
        (employee, "工作单位"),
    ):
        assert words in done.excluded[str(person.pk)]
    assert logged("revisit.experts", done).get().after["seed"] == 11


def test_the_agency_that_recommended_the_holder_is_excluded_too(world):
    title = title_of(world)
    pool = experts(world, 2)
    agency_expert = experts(world, 1, organisation=world.agency)[0]
    done = services.draw_revisit_experts(
        revisit=revisit(world, title, visit_on=later()), by=staff(world)
    )
    assert str(agency_expert.pk) in done.excluded
    assert {e.expert_id for e in done.experts.all()} == {e.pk for e in pool}


def test_the_same_seed_draws_the_same_experts(world):
    experts(world, 5)
    first = services.draw_revisit_experts(
        revisit=revisit(world, visit_on=later()), by=staff(world), seed=5
    )
    second = services.draw_revisit_experts(
        revisit=revisit(world, visit_on=later()), by=staff(world), seed=5
    )
    assert [e.expert_id for e in first.experts.order_by("position")] == [
        e.expert_id for e in second.experts.order_by("position")
    ]


def test_too_few_eligible_experts_is_refused_and_nothing_stored(world):
    experts(world, 1)
    planned = revisit(world, visit_on=later())
    with pytest.raises(ValidationError, match="只有 1 位"):
        services.draw_revisit_experts(revisit=planned, by=staff(world))
    planned.refresh_from_db()
    assert planned.expert_seed is None
    assert not planned.experts.exists()


def test_experts_are_drawn_once(world):
    experts(world, 4)
    planned = revisit(world, visit_on=later())
    services.draw_revisit_experts(revisit=planned, by=staff(world))
    with pytest.raises(ValidationError, match="已指派"):
        services.draw_revisit_experts(revisit=Revisit.objects.get(pk=planned.pk), by=staff(world))


def test_the_workload_cap_counts_the_experts_other_revisits(world):
    from manyi.campaigns.models import CampaignCategory

    CampaignCategory.objects.filter(campaign=campaign_now(), category="product").update(
        expert_workload_cap=1
    )
    busy = experts(world, 2)
    revisit(world, visit_on=later(), status=RevisitStatus.NOTIFIED, team=busy)
    free = experts(world, 2)
    done = services.draw_revisit_experts(revisit=revisit(world, visit_on=later()), by=staff(world))
    assert {e.expert_id for e in done.experts.all()} == {e.pk for e in free}
    assert "上限" in done.excluded[str(busy[0].pk)]


def test_a_replaced_expert_gives_way_to_the_next_eligible_one_in_the_same_place(world):
    pool = experts(world, 4)
    planned = services.draw_revisit_experts(
        revisit=revisit(world, visit_on=later()), by=staff(world), seed=3
    )
    leader = planned.experts.get(leader=True)
    new = services.replace_revisit_expert(revisit_expert=leader, by=staff(world), reason="临时出差")
    assert new.leader
    assert new.position == leader.position
    assert new.expert_id in {e.pk for e in pool}
    assert new.expert_id != leader.expert_id
    assert not RevisitExpert.objects.filter(pk=leader.pk).exists()
    planned.refresh_from_db()
    assert "临时出差" in planned.excluded[str(leader.expert_id)]
    entry = logged("revisit.experts", planned).order_by("-pk").first()
    assert entry.note == "临时出差"
    # Planned: nobody has been told yet, so nobody is told of the change.
    assert not OutboxMessage.objects.filter(template__startswith="supervision/revisit").exists()


def test_a_replaced_expert_is_never_drawn_back(world):
    experts(world, 3)
    planned = services.draw_revisit_experts(
        revisit=revisit(world, visit_on=later()), by=staff(world)
    )
    first = planned.experts.get(leader=True)
    second = services.replace_revisit_expert(revisit_expert=first, by=staff(world), reason="甲")
    with pytest.raises(ValidationError, match="没有其他"):
        services.replace_revisit_expert(revisit_expert=second, by=staff(world), reason="乙")
    assert planned.experts.filter(expert_id=second.expert_id).exists()


def test_replacing_after_the_notice_tells_both_experts_and_the_holder(world):
    extra = experts(world, 1)[0]
    current, team = notified(world, visit_on=later())
    MembershipFactory(organisation=current.title.organisation, role=Role.ENTERPRISE_USER)
    place = current.experts.get(expert=team[1])
    new = services.replace_revisit_expert(revisit_expert=place, by=staff(world), reason="回避")
    assert new.expert_id == extra.pk
    sent = OutboxMessage.objects.all()
    assert sent.filter(to=team[1].email, template="supervision/revisit_expert_released").exists()
    assert sent.filter(to=extra.email, template="supervision/revisit_expert").exists()
    notice = sent.get(template="supervision/revisit_notice")
    assert extra.display_name in notice.body_text


def test_replacing_needs_a_reason(world):
    current, team = notified(world, visit_on=later())
    with pytest.raises(ValidationError, match="替换原因"):
        services.replace_revisit_expert(
            revisit_expert=current.experts.first(), by=staff(world), reason=" "
        )


# ------------------------------------------------------------------------------------------
# Notice


def test_the_notice_tells_the_holder_the_date_the_experts_and_what_to_prepare(world):
    title = title_of(world)
    user = MembershipFactory(organisation=title.organisation, role=Role.ENTERPRISE_USER).user
    team = experts(world, 2)
    planned = revisit(world, title, visit_on=later(), team=team)
    done = services.notify_revisit(revisit=planned, by=staff(world))
    assert done.status == RevisitStatus.NOTIFIED
    assert done.notified_at is not None
    mail = OutboxMessage.objects.get(to=user.email)
    assert mail.subject.startswith("【满意】")
    assert "称号证书、牌匾、测评资料" in mail.body_text
    for expert in team:
        assert expert.display_name in mail.body_text
    assert str(done.visit_on.year) in mail.body_text
    for expert in team:
        told = OutboxMessage.objects.get(to=expert.email)
        assert told.template == "supervision/revisit_expert"
        assert title.organisation.name in told.subject
    assert logged("revisit.notify", done).get().after["holder_users"] == 1


def test_no_notice_without_experts(world):
    planned = revisit(world, visit_on=later())
    with pytest.raises(ValidationError, match="指派回访专家"):
        services.notify_revisit(revisit=planned, by=staff(world))
    assert not OutboxMessage.objects.exists()


def test_no_notice_after_the_visit_date(world):
    planned = revisit(world, visit_on=later(1), team=experts(world, 2))
    with (
        time_machine.travel(timezone.now() + timedelta(days=3)),
        pytest.raises(ValidationError, match="回访日期已过"),
    ):
        services.notify_revisit(revisit=planned, by=staff(world))


# ------------------------------------------------------------------------------------------
# The result


def test_the_leader_records_a_pass_with_evidence(world):
    current, team = notified(world)
    done = services.record_revisit(
        revisit=current,
        by=team[0],
        passed=True,
        findings="材料齐全，持续改进。",
        evidence=[pdf_upload("现场照片.pdf")],
    )
    assert done.status == RevisitStatus.PASSED
    assert done.recorded_by == team[0]
    assert Evidence.objects.get(revisit=done).name == "现场照片.pdf"
    assert not Revocation.objects.exists()
    assert logged("revisit.record", done).get().after["status"] == RevisitStatus.PASSED
    assert OutboxMessage.objects.filter(to=staff(world).email).exists()


def test_a_failure_becomes_a_proposal_to_revoke_sent_to_the_association(world):
    current, team = notified(world)
    done = services.record_revisit(
        revisit=current, by=team[0], passed=False, findings="牌匾未悬挂，投诉台账缺失。"
    )
    assert done.status == RevisitStatus.FAILED
    case = Revocation.objects.get(revisit=done)
    assert case.status == RevocationStatus.PROPOSED
    assert case.reason == RevocationReason.FAILED_REVISIT
    assert case.facts == "牌匾未悬挂，投诉台账缺失。"
    assert case.opened_by == team[0]
    assert done.title.number in case.proposal
    assert "牌匾未悬挂" in case.proposal
    admin = world.users[Role.ASSOCIATION_ADMIN]
    assert OutboxMessage.objects.filter(
        to=admin.email, template="supervision/revocation_opened"
    ).exists()
    assert logged("revocation.propose", case).exists()


def test_a_failure_on_a_title_with_a_case_in_progress_is_recorded_without_a_second_case(world):
    current, team = notified(world)
    existing = open_revocation(
        title=current.title, reason=RevocationReason.FRAUD, facts="材料造假", by=staff(world)
    )
    done = services.record_revisit(revisit=current, by=team[0], passed=False, findings="不合格")
    assert done.status == RevisitStatus.FAILED
    assert list(Revocation.objects.all()) == [existing]


def test_a_member_who_does_not_lead_may_not_record(world):
    current, team = notified(world)
    with pytest.raises(ValidationError, match="组长"):
        services.record_revisit(revisit=current, by=team[1], passed=True, findings="好")
    current.refresh_from_db()
    assert current.status == RevisitStatus.NOTIFIED


def test_staff_may_record_for_the_experts(world):
    current, _team = notified(world)
    done = services.record_revisit(revisit=current, by=staff(world), passed=True, findings="好")
    assert done.recorded_by == staff(world)


def test_no_result_before_the_visit_day_or_without_findings(world):
    current, team = notified(world, visit_on=later(3))
    with pytest.raises(ValidationError, match="未到"):
        services.record_revisit(revisit=current, by=team[0], passed=True, findings="好")
    today, team2 = notified(world)
    with pytest.raises(ValidationError) as caught:
        services.record_revisit(revisit=today, by=team2[0], passed=False, findings="  ")
    assert "findings" in caught.value.error_dict


def test_a_forged_file_refuses_the_whole_record_and_leaves_no_file(world, settings):
    current, team = notified(world)
    with pytest.raises(ValidationError) as caught:
        services.record_revisit(
            revisit=current,
            by=team[0],
            passed=False,
            findings="不合格",
            evidence=[pdf_upload(), forged_upload("伪造.pdf")],
        )
    assert "伪造.pdf" in " ".join(caught.value.messages)
    current.refresh_from_db()
    assert current.status == RevisitStatus.NOTIFIED
    assert not Evidence.objects.exists()
    assert not Revocation.objects.exists()
    stored = settings.MEDIA_ROOT / "private" / "supervision"
    assert not stored.exists() or not any(stored.rglob("*"))


def test_a_failure_after_the_files_are_stored_leaves_no_file(world, settings, monkeypatch):
    current, team = notified(world)

    def broken(**kwargs):
        raise RuntimeError("mail server down")

    monkeypatch.setattr("manyi.supervision.revocations.opening.open_revocation", broken)
    with pytest.raises(RuntimeError):
        services.record_revisit(
            revisit=current,
            by=team[0],
            passed=False,
            findings="不合格",
            evidence=[pdf_upload()],
        )
    assert not Evidence.objects.exists()
    stored = settings.MEDIA_ROOT / "private" / "supervision"
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))


def test_a_result_is_recorded_once(world):
    current, team = notified(world)
    services.record_revisit(revisit=current, by=team[0], passed=True, findings="好")
    with pytest.raises(ValidationError, match="通过"):
        services.record_revisit(
            revisit=Revisit.objects.get(pk=current.pk), by=team[0], passed=False, findings="差"
        )


# ------------------------------------------------------------------------------------------
# Cancellation


def test_cancelling_a_notified_revisit_tells_the_holder_and_the_experts(world):
    current, team = notified(world, visit_on=later())
    user = MembershipFactory(organisation=current.title.organisation, role=Role.ENTERPRISE_USER)
    done = services.cancel_revisit(revisit=current, by=staff(world), reason="企业搬迁")
    assert done.status == RevisitStatus.CANCELLED
    assert logged("revisit.cancel", done).get().note == "企业搬迁"
    recipients = set(
        OutboxMessage.objects.filter(template="supervision/revisit_cancelled").values_list(
            "to", flat=True
        )
    )
    assert recipients == {user.user.email, *(e.email for e in team)}


def test_a_planned_revisit_is_cancelled_quietly_and_a_finished_one_not_at_all(world):
    planned = revisit(world, visit_on=later())
    services.cancel_revisit(revisit=planned, by=staff(world), reason="计划调整")
    assert not OutboxMessage.objects.exists()
    current, team = notified(world)
    services.record_revisit(revisit=current, by=team[0], passed=True, findings="好")
    with pytest.raises(ValidationError):
        services.cancel_revisit(
            revisit=Revisit.objects.get(pk=current.pk), by=staff(world), reason="晚了"
        )
