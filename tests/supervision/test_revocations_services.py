"""Revocation moves: opening by hand, proposal, dismissal, the decision (revoke at once or on
the effective date, decline), fraud (ban, 通报批评), recall and evidence, with their refusals."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.campaigns.models import Ban, BanSource
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision.models import (
    DisciplineNotice,
    DisciplineNoticeKind,
    Evidence,
    RecallStatus,
    Revocation,
    RevocationReason,
    RevocationStatus,
    Sanction,
    SanctionKind,
)
from manyi.supervision.revocations import services
from manyi.titles.models import Title, TitleStatus
from tests.supervision.factories_revocations import (
    DECISION,
    FACTS,
    PROPOSAL,
    a_title,
    opened_case,
    proposed_case,
    revoked_case,
)
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def admin(world):
    return world.users[Role.ASSOCIATION_ADMIN]


def logged(action, case) -> bool:
    return ActivityLog.objects.filter(action=action, object_id=str(case.pk)).exists()


def media_files(settings) -> list:
    root = settings.MEDIA_ROOT
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def decide(world, case, **kwargs):
    fields = {
        "revoke": True,
        "decision": DECISION,
        "effective_on": timezone.localdate(),
        **kwargs,
    }
    return services.decide_revocation(case=case, by=admin(world), **fields)


# ------------------------------------------------------------------------------------------
# Opening by hand


def test_staff_open_a_case_from_a_title_with_evidence(world, settings):
    title = a_title(world)

    case = services.open_case(
        title=title,
        by=staff(world),
        reason=RevocationReason.MAJOR_COMPLAINT,
        facts=FACTS,
        evidence=pdf_upload("现场照片.pdf"),
        description="现场核查记录",
    )

    assert case.status == RevocationStatus.OPENED
    assert case.opened_by == staff(world)
    assert case.evidence.get().name == "现场照片.pdf"
    assert logged("revocation.open", case)
    assert logged("supervision.evidence", case)
    assert len(media_files(settings)) == 1


def test_opening_with_the_proposal_at_once_goes_to_the_administrator(world):
    case = services.open_case(
        title=a_title(world),
        by=staff(world),
        reason=RevocationReason.FAILED_REVISIT,
        facts=FACTS,
        proposed=True,
        proposal=PROPOSAL,
    )

    assert case.status == RevocationStatus.PROPOSED
    assert case.proposal == PROPOSAL
    assert OutboxMessage.objects.filter(
        to=admin(world).email, subject__contains="撤销称号建议待决定"
    ).exists()


def test_a_forged_file_opens_nothing_and_leaves_no_file(world, settings):
    title = a_title(world)

    with pytest.raises(ValidationError):
        services.open_case(
            title=title,
            by=staff(world),
            reason=RevocationReason.MAJOR_COMPLAINT,
            facts=FACTS,
            evidence=forged_upload(),
        )

    assert not Revocation.objects.filter(title=title).exists()
    assert not OutboxMessage.objects.exists()
    assert media_files(settings) == []


def test_a_second_case_on_the_same_title_is_refused(world):
    case = opened_case(world)

    with pytest.raises(ValidationError, match="已有正在处理的撤销案件"):
        services.open_case(
            title=case.title, by=staff(world), reason=RevocationReason.FRAUD, facts=FACTS
        )

    assert Revocation.objects.filter(title=case.title).count() == 1


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.ENTERPRISE_USER, Role.EXPERT])
def test_only_committee_staff_and_the_administrator_open_a_case(world, role):
    title = a_title(world)

    with pytest.raises(PermissionDenied):
        services.open_case(
            title=title, by=world.users[role], reason=RevocationReason.FRAUD, facts=FACTS
        )

    assert not Revocation.objects.exists()


# ------------------------------------------------------------------------------------------
# Proposal and dismissal


def test_committee_staff_propose_and_the_administrator_is_told(world):
    case = opened_case(world, system=True)

    case = services.propose_revocation(case=case, by=staff(world), proposal=PROPOSAL)

    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED
    assert case.proposed_by == staff(world)
    assert case.proposed_at is not None
    assert logged("revocation.propose", case)
    assert OutboxMessage.objects.filter(to=admin(world).email).exists()


def test_a_proposal_without_text_is_refused_and_nothing_changes(world):
    case = opened_case(world)

    with pytest.raises(ValidationError, match="撤销建议"):
        services.propose_revocation(case=case, by=staff(world), proposal="  ")

    case.refresh_from_db()
    assert case.status == RevocationStatus.OPENED
    assert not logged("revocation.propose", case)


def test_a_proposal_is_made_once(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="已提出建议或已办结"):
        services.propose_revocation(case=case, by=staff(world), proposal="再次建议")


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.EXPERT])
def test_others_cannot_propose(world, role):
    case = opened_case(world)

    with pytest.raises(PermissionDenied):
        services.propose_revocation(case=case, by=world.users[role], proposal=PROPOSAL)


def test_dismissal_keeps_the_reasons_and_frees_the_title_for_a_new_case(world):
    case = opened_case(world)

    case = services.dismiss_revocation(case=case, by=staff(world), reasons="投诉经核实不成立。")

    case.refresh_from_db()
    assert case.status == RevocationStatus.DISMISSED
    assert case.proposal == "投诉经核实不成立。"
    assert logged("revocation.dismiss", case)
    again = opened_case(world, title=case.title)
    assert again.status == RevocationStatus.OPENED


def test_dismissal_needs_reasons(world):
    case = opened_case(world)

    with pytest.raises(ValidationError, match="理由"):
        services.dismiss_revocation(case=case, by=staff(world), reasons="")

    case.refresh_from_db()
    assert case.status == RevocationStatus.OPENED


# ------------------------------------------------------------------------------------------
# The decision


def test_revoking_from_today_revokes_the_title_at_once(world):
    title = a_title(world, organisation=world.enterprise)
    case = proposed_case(world, title=title)

    case = decide(world, case)

    title.refresh_from_db()
    case.refresh_from_db()
    today = timezone.localdate()
    assert case.status == RevocationStatus.REVOKED
    assert case.effective_on == today
    assert case.certificate == RecallStatus.TO_RECALL
    assert case.plaque == RecallStatus.TO_RECALL
    assert title.status == TitleStatus.REVOKED
    assert title.status_since == today
    assert logged("revocation.revoke", case)
    assert logged("revocation.effective", case)


def test_the_holder_is_told_what_why_from_when_and_to_return_certificate_and_plaque(world):
    title = a_title(world, organisation=world.enterprise)
    case = proposed_case(world, title=title, reason=RevocationReason.LOW_SATISFACTION)

    decide(world, case)

    mails = OutboxMessage.objects.filter(template="supervision/revocation_revoked")
    assert set(mails.values_list("to", flat=True)) == {
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
    }
    mail = mails.first()
    assert mail.subject.startswith("【满意】")
    assert title.number in mail.body_text
    assert "用户满意度严重偏低" in mail.body_text
    assert DECISION in mail.body_text
    assert "证书和牌匾交回" in mail.body_text
    assert OutboxMessage.objects.filter(
        template="supervision/revocation_decided", to=staff(world).email
    ).exists()


def test_a_later_effective_date_waits_for_the_daily_task(world, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    case = proposed_case(world)
    later = timezone.localdate() + timedelta(days=10)

    case = decide(world, case, effective_on=later)

    title = Title.objects.get(pk=case.title_id)
    assert title.status == TitleStatus.VALID
    assert services.apply_due_revocations() == 0
    assert not logged("revocation.effective", case)

    time_machine.shift(timedelta(days=10))
    assert services.apply_due_revocations() == 1

    title.refresh_from_db()
    assert title.status == TitleStatus.REVOKED
    assert title.status_since == later
    assert logged("revocation.effective", case)
    assert services.apply_due_revocations() == 0  # once


def test_a_missed_day_is_caught_up_with_the_effective_date_kept(world):
    case = proposed_case(world)
    later = timezone.localdate() + timedelta(days=3)
    decide(world, case, effective_on=later)

    services.apply_due_revocations(today=later + timedelta(days=2))

    title = Title.objects.get(pk=case.title_id)
    assert title.status == TitleStatus.REVOKED
    assert title.status_since == later


def test_an_expiry_that_came_first_is_not_overwritten(world):
    case = proposed_case(world)
    title = case.title
    later = timezone.localdate() + timedelta(days=10)
    decide(world, case, effective_on=later)
    Title.objects.filter(pk=title.pk).update(
        status=TitleStatus.EXPIRED, status_since=later - timedelta(days=1)
    )

    assert services.apply_due_revocations(today=later) == 0

    title.refresh_from_db()
    assert title.status == TitleStatus.EXPIRED


def test_an_effective_date_in_the_past_is_refused(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="不能早于今天"):
        decide(world, case, effective_on=timezone.localdate() - timedelta(days=1))

    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED
    assert Title.objects.get(pk=case.title_id).status == TitleStatus.VALID


def test_an_effective_date_after_the_validity_is_refused(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="有效期届满日"):
        decide(world, case, effective_on=case.title.valid_until + timedelta(days=1))


def test_a_revocation_needs_its_effective_date_and_text(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="生效日期"):
        decide(world, case, effective_on=None)
    with pytest.raises(ValidationError, match="撤销决定"):
        decide(world, case, decision="")

    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED


def test_only_the_administrator_decides(world):
    case = proposed_case(world)

    with pytest.raises(PermissionDenied):
        services.decide_revocation(
            case=case,
            by=staff(world),
            revoke=True,
            decision=DECISION,
            effective_on=timezone.localdate(),
        )

    case.refresh_from_db()
    assert case.status == RevocationStatus.PROPOSED


def test_a_case_without_a_proposal_cannot_be_decided(world):
    case = opened_case(world)

    with pytest.raises(ValidationError, match="没有待决定的撤销建议"):
        decide(world, case)


def test_declining_keeps_the_title_and_tells_the_committee(world):
    case = proposed_case(world)

    case = decide(world, case, revoke=False, decision="证据不足，不予撤销。", effective_on=None)

    case.refresh_from_db()
    assert case.status == RevocationStatus.DECLINED
    assert case.certificate == RecallStatus.NONE
    assert Title.objects.get(pk=case.title_id).status == TitleStatus.VALID
    assert logged("revocation.decline", case)
    mail = OutboxMessage.objects.get(
        template="supervision/revocation_decided", to=staff(world).email
    )
    assert "不予撤销" in mail.subject
    assert "证据不足" in mail.body_text
    assert not OutboxMessage.objects.filter(template="supervision/revocation_revoked").exists()


def test_declining_needs_reasons(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="不予撤销的理由"):
        decide(world, case, revoke=False, decision="", effective_on=None)


# ------------------------------------------------------------------------------------------
# Fraud (Art. 26)


def test_fraud_bans_the_uscc_for_five_years_and_publishes_a_criticism(world):
    title = a_title(world, organisation=world.enterprise)
    today = timezone.localdate()

    case = revoked_case(world, title=title, reason=RevocationReason.FRAUD)

    ban = Ban.objects.get(uscc=world.enterprise.uscc)
    assert ban.decided_on == today
    assert ban.ends_on == today.replace(year=today.year + 5)
    assert ban.source == BanSource.FRAUD
    assert title.number in ban.reason
    sanction = Sanction.objects.get(revocation=case)
    assert sanction.kind == SanctionKind.CRITICISM
    assert sanction.organisation == world.enterprise
    assert sanction.public
    notice = DisciplineNotice.objects.get(revocation=case)
    assert notice.kind == DisciplineNoticeKind.CRITICISM
    assert world.enterprise.name in notice.title
    assert "通报批评" in notice.body
    assert "五年内" in notice.body
    assert notice.entries[0]["number"] == title.number
    assert ActivityLog.objects.filter(action="ban.add").exists()
    assert ActivityLog.objects.filter(action="sanction.criticism").exists()
    assert ActivityLog.objects.filter(action="discipline_notice.publish").exists()


def test_the_administrator_may_write_the_criticism_text(world):
    case = revoked_case(world, reason=RevocationReason.FRAUD, criticism="特此通报。")

    assert DisciplineNotice.objects.get(revocation=case).body == "特此通报。"


def test_a_banned_holder_is_refused_at_a_later_application(world):
    from manyi.applications.services import start_application
    from tests.applications.helpers import open_campaign

    revoked_case(world, title=a_title(world, organisation=world.enterprise), reason="fraud")

    campaign = open_campaign(agencies=[world.agency])
    with pytest.raises(ValidationError, match="之前不得申报"):
        start_application(
            by=world.users[Role.ENTERPRISE_USER],
            organisation=world.enterprise,
            campaign=campaign,
            category="brand",
        )


def test_other_reasons_bring_no_ban_and_no_criticism(world):
    revoked_case(world, title=a_title(world, organisation=world.enterprise))

    assert not Ban.objects.exists()
    assert not Sanction.objects.exists()
    assert not DisciplineNotice.objects.exists()


# ------------------------------------------------------------------------------------------
# Recall and evidence


def test_recall_is_recorded_one_thing_at_a_time(world):
    case = revoked_case(world)
    today = timezone.localdate()

    case = services.record_recall(
        case=case, by=staff(world), certificate=True, plaque=False, on=today
    )

    assert case.certificate == RecallStatus.RECALLED
    assert case.certificate_recalled_at is not None
    assert case.plaque == RecallStatus.TO_RECALL
    assert logged("revocation.recall", case)

    case = services.record_recall(
        case=case, by=staff(world), certificate=False, plaque=True, on=today
    )
    assert case.plaque == RecallStatus.RECALLED
    with pytest.raises(ValidationError, match="没有待收回"):
        services.record_recall(case=case, by=staff(world), certificate=True, plaque=True, on=today)


def test_recall_refusals(world):
    case = revoked_case(world)
    today = timezone.localdate()

    with pytest.raises(ValidationError, match="请选择"):
        services.record_recall(
            case=case, by=staff(world), certificate=False, plaque=False, on=today
        )
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.record_recall(
            case=case, by=staff(world), certificate=True, plaque=False, on=today + timedelta(1)
        )
    with pytest.raises(ValidationError, match="不能早于撤销决定"):
        services.record_recall(
            case=case, by=staff(world), certificate=True, plaque=False, on=today - timedelta(1)
        )
    with pytest.raises(PermissionDenied):
        services.record_recall(
            case=case,
            by=world.users[Role.WORKDEPT_STAFF],
            certificate=True,
            plaque=False,
            on=today,
        )

    case.refresh_from_db()
    assert case.certificate == RecallStatus.TO_RECALL


def test_nothing_is_recalled_before_a_revocation(world):
    case = proposed_case(world)

    with pytest.raises(ValidationError, match="没有待收回"):
        services.record_recall(
            case=case, by=staff(world), certificate=True, plaque=True, on=timezone.localdate()
        )


def test_evidence_is_added_while_the_case_is_open_and_refused_once_closed(world, settings):
    case = opened_case(world)

    evidence = services.add_case_evidence(case=case, by=staff(world), upload=pdf_upload())

    assert evidence.revocation == case
    services.dismiss_revocation(case=case, by=staff(world), reasons="不成立")
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="已办结"):
        services.add_case_evidence(case=case, by=staff(world), upload=pdf_upload())
    assert Evidence.objects.filter(revocation=case).count() == 1
    assert len(media_files(settings)) == 1


def test_a_forged_evidence_file_is_refused(world, settings):
    case = opened_case(world)

    with pytest.raises(ValidationError):
        services.add_case_evidence(case=case, by=staff(world), upload=forged_upload())

    assert not Evidence.objects.exists()
    assert media_files(settings) == []
