"""Handling objections (investigator without conflict, outcome, evidence) and the grant at the
end of the 公示, by staff and by the daily schedule."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from manyi.accounts.models import ExpertProfile
from manyi.accounts.roles import Role
from manyi.applications.states import Status
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.reviews.models import Assignment, Declaration, ExpertDraw
from manyi.titles.models import NoticeKind, ObjectionStatus, PublicNotice, Title
from manyi.titles.notices.selectors import investigator_candidates
from manyi.titles.notices.services import assign_investigator, decide_objection, grant_notice
from manyi.titles.notices.tasks import grant_due_notices
from tests.factories import MembershipFactory
from tests.reviews.factories import make_expert
from tests.titles.decision_helpers import end_period, object_to, pdf_upload, released

pytestmark = pytest.mark.django_db


def staff(world):
    return world.users[Role.COMMITTEE_STAFF]


def investigated(world, notice, application, investigator=None):
    objection, _token = object_to(notice, application)
    return assign_investigator(
        objection=objection, by=staff(world), investigator=investigator or staff(world)
    )


# ------------------------------------------------------------------------------------------
# Investigators


def test_investigator_candidates_leave_out_every_conflict(world):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner)
    campaign = winner.campaign
    clean = make_expert(world, campaign=campaign, employer="中山大学")
    declared = make_expert(world, campaign=campaign)
    Declaration.objects.get(expert=declared).conflicts.add(winner.organisation)
    competitor = make_expert(world)
    Declaration.objects.create(
        expert=competitor, campaign=campaign, text="声明", competitors=winner.organisation.name
    )
    employed = make_expert(world, employer=winner.organisation.name)
    agency_expert = make_expert(world, organisation=world.agency)
    reviewer = make_expert(world, campaign=campaign)
    draw = ExpertDraw.objects.create(application=winner, seed=1, needed=3, drawn_by=staff(world))
    Assignment.objects.create(draw=draw, application=winner, expert=reviewer, position=0)
    applicant_member = MembershipFactory(
        organisation=winner.organisation, role=Role.ENTERPRISE_USER
    ).user

    candidates = set(investigator_candidates(objection))

    assert clean in candidates
    assert staff(world) in candidates
    assert world.users[Role.EXPERT] in candidates
    for excluded in (declared, competitor, employed, agency_expert, reviewer, applicant_member):
        assert excluded not in candidates
    assert world.users[Role.WORKDEPT_STAFF] not in candidates
    assert ExpertProfile.objects.filter(user=employed).exists()


def test_a_conflicted_investigator_is_refused(world):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner)
    reviewer = make_expert(world)
    draw = ExpertDraw.objects.create(application=winner, seed=1, needed=3, drawn_by=staff(world))
    Assignment.objects.create(draw=draw, application=winner, expert=reviewer, position=0)

    with pytest.raises(ValidationError, match="不能担任调查人"):
        assign_investigator(objection=objection, by=staff(world), investigator=reviewer)

    objection.refresh_from_db()
    assert objection.investigator is None
    assert objection.status == ObjectionStatus.RECEIVED


def test_assigning_tells_the_investigator_and_logs(world, client_for):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner)
    expert = make_expert(world)

    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("titles:objection_assign", args=[objection.pk]), {"investigator": expert.pk}
    )

    assert response.status_code == 302
    objection.refresh_from_db()
    assert objection.investigator == expert
    assert objection.status == ObjectionStatus.INVESTIGATING
    assert OutboxMessage.objects.filter(template="objection_assigned", to=expert.email).exists()
    assert ActivityLog.objects.filter(action="objection.assign").exists()


def test_the_investigator_sees_the_objector_and_the_work_department_does_not(world, client_for):
    notice, (winner,), _l = released(world)
    objection = investigated(world, notice, winner, investigator=world.users[Role.EXPERT])

    as_expert = client_for(Role.EXPERT).get(reverse("titles:objection_detail", args=[objection.pk]))
    as_reader = client_for(Role.WORKDEPT_STAFF).get(
        reverse("titles:objection_detail", args=[objection.pk])
    )

    assert "李四" in as_expert.content.decode()
    assert "李四" not in as_reader.content.decode()
    assert "13912345678" not in as_reader.content.decode()


def test_an_expert_sees_only_the_objections_given_to_them(world, client_for):
    notice, (first, second), _l = released(world, awards=2)
    mine = investigated(world, notice, first, investigator=world.users[Role.EXPERT])
    other, _token = object_to(notice, second)
    client = client_for(Role.EXPERT)

    listing = client.get(reverse("titles:objection_list")).content.decode()

    assert f'data-objection="{mine.pk}"' in listing
    assert f'data-objection="{other.pk}"' not in listing
    assert client.get(reverse("titles:objection_detail", args=[other.pk])).status_code == 404


def test_the_objection_list_filters_by_status_and_keeps_its_queries(world, client_for):
    notice, winners, _l = released(world, awards=3)
    first, _t = object_to(notice, winners[0])
    client = client_for(Role.COMMITTEE_STAFF)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("titles:objection_list"))
    object_to(notice, winners[1])
    investigated(world, notice, winners[2])
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("titles:objection_list") + "?status=investigating")

    assert len(three) == len(one)
    assert page.content.decode().count("data-objection=") == 1


def test_evidence_download_is_logged_and_kept_from_readers(world, client_for):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner, evidence=pdf_upload())
    url = reverse("titles:objection_evidence", args=[objection.pk])

    response = client_for(Role.COMMITTEE_STAFF).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert ActivityLog.objects.filter(action="objection.evidence_download").count() == 1
    assert client_for(Role.WORKDEPT_STAFF).get(url).status_code == 403


# ------------------------------------------------------------------------------------------
# Outcomes


def test_an_upheld_objection_withdraws_the_proposal(world):
    notice, (winner,), _l = released(world)
    member = MembershipFactory(organisation=winner.organisation, role=Role.ENTERPRISE_USER).user
    objection = investigated(world, notice, winner)

    decide_objection(
        objection=objection,
        by=staff(world),
        outcome=ObjectionStatus.UPHELD,
        findings="经核实，用户名单中有十二家用户不存在",
    )

    objection.refresh_from_db()
    winner.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert winner.status == Status.NOT_AWARDED
    assert winner.decision.withdrawn_at is not None
    mail = OutboxMessage.objects.filter(template="application_status", to=member.email).last()
    assert "十二家用户不存在" in mail.body_text
    assert ActivityLog.objects.get(action="objection.decide").after["withdrawn"] is True


def test_a_dismissed_objection_leaves_the_proposal(world):
    notice, (winner,), _l = released(world)
    objection = investigated(world, notice, winner)

    decide_objection(
        objection=objection, by=staff(world), outcome=ObjectionStatus.DISMISSED, findings="不实"
    )

    winner.refresh_from_db()
    assert winner.status == Status.IN_NOTICE
    assert winner.decision.withdrawn_at is None


def test_an_expert_investigator_may_dismiss_but_not_uphold(world):
    notice, (first, second), _l = released(world, awards=2)
    expert = world.users[Role.EXPERT]
    one = investigated(world, notice, first, investigator=expert)
    two = investigated(world, notice, second, investigator=expert)

    with pytest.raises(ValidationError, match="须由用户委员会工作人员记录"):
        decide_objection(objection=one, by=expert, outcome=ObjectionStatus.UPHELD, findings="属实")
    decide_objection(objection=two, by=expert, outcome=ObjectionStatus.DISMISSED, findings="不实")

    first.refresh_from_db()
    assert first.status == Status.IN_NOTICE
    two.refresh_from_db()
    assert two.status == ObjectionStatus.DISMISSED


def test_an_outcome_needs_an_investigator_and_findings(world):
    notice, (winner,), _l = released(world)
    objection, _token = object_to(notice, winner)

    with pytest.raises(ValidationError, match="请先指定调查人"):
        decide_objection(
            objection=objection, by=staff(world), outcome=ObjectionStatus.DISMISSED, findings="x"
        )
    assigned = assign_investigator(objection=objection, by=staff(world), investigator=staff(world))
    with pytest.raises(ValidationError, match="调查结论和理由"):
        decide_objection(
            objection=assigned, by=staff(world), outcome=ObjectionStatus.DISMISSED, findings=""
        )


def test_the_work_department_cannot_decide(world):
    notice, (winner,), _l = released(world)
    objection = investigated(world, notice, winner)

    with pytest.raises(PermissionDenied):
        decide_objection(
            objection=objection,
            by=world.users[Role.WORKDEPT_STAFF],
            outcome=ObjectionStatus.DISMISSED,
            findings="不实",
        )


# ------------------------------------------------------------------------------------------
# The grant


def test_the_grant_is_refused_before_the_period_ends(world):
    notice, (winner,), _l = released(world)

    with pytest.raises(ValidationError, match="公示期尚未届满"):
        grant_notice(notice=notice, by=staff(world))

    winner.refresh_from_db()
    assert winner.status == Status.IN_NOTICE
    assert not Title.objects.exists()


def test_the_grant_is_refused_while_an_objection_is_open(world):
    notice, (winner,), _l = released(world)
    object_to(notice, winner)
    end_period(notice)

    with pytest.raises(ValidationError, match="尚有未办结的异议"):
        grant_notice(notice=notice, by=staff(world))

    assert not Title.objects.exists()
    notice.refresh_from_db()
    assert notice.closed_at is None


def test_the_grant_numbers_the_titles_and_publishes_the_announcement(world, client):
    notice, (first, second, withdrawn), _l = released(world, awards=3)
    upheld = investigated(world, notice, withdrawn)
    decide_objection(
        objection=upheld, by=staff(world), outcome=ObjectionStatus.UPHELD, findings="属实"
    )
    dismissed = investigated(world, notice, first)
    decide_objection(
        objection=dismissed, by=staff(world), outcome=ObjectionStatus.DISMISSED, findings="不实"
    )
    end_period(notice)

    announcement = grant_notice(notice=notice, by=staff(world))

    titles = list(Title.objects.order_by("number"))
    assert [t.application_id for t in titles] == [first.pk, second.pk]
    year = first.campaign.year
    assert [t.number for t in titles] == [f"GZYH-{year}-CP-0001", f"GZYH-{year}-CP-0002"]
    assert announcement.kind == NoticeKind.ANNOUNCEMENT
    assert {t.announcement_id for t in titles} == {announcement.pk}
    notice.refresh_from_db()
    assert notice.closed_at is not None
    withdrawn.refresh_from_db()
    assert withdrawn.status == Status.NOT_AWARDED
    page = client.get(reverse("titles:notice_detail", args=[announcement.pk])).content.decode()
    assert f"GZYH-{year}-CP-0001" in page
    assert withdrawn.organisation.name not in page
    with pytest.raises(ValidationError):
        grant_notice(notice=notice, by=staff(world))


def test_the_grant_button_grants_for_staff(world, client_for):
    notice, (winner,), _l = released(world)
    end_period(notice)
    client = client_for(Role.COMMITTEE_STAFF)

    page = client.get(reverse("titles:notice_detail", args=[notice.pk])).content.decode()
    response = client.post(reverse("titles:notice_grant", args=[notice.pk]))

    assert reverse("titles:notice_grant", args=[notice.pk]) in page
    assert response.status_code == 302
    winner.refresh_from_db()
    assert winner.status == Status.AWARDED


def test_the_daily_schedule_grants_due_notices_by_itself(world, time_machine):
    from django.utils import timezone

    notice, (winner,), _l = released(world)
    waiting, (objected,), _l2 = released(world, "brand")
    object_to(waiting, objected)
    # The day after the period's last day.
    days = (notice.ends_on - timezone.localdate()).days + 1
    time_machine.move_to(timezone.now() + timedelta(days=days))

    assert grant_due_notices() == 1

    winner.refresh_from_db()
    assert winner.status == Status.AWARDED
    entry = ActivityLog.objects.get(action="title.grant")
    assert entry.actor is None
    objected.refresh_from_db()
    assert objected.status == Status.IN_NOTICE
    assert PublicNotice.objects.get(pk=waiting.pk).closed_at is None


def test_the_grant_is_on_the_worker_timetable(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="titles.grant_due_notices")

    assert schedule.func == "manyi.titles.notices.tasks.grant_due_notices"
    assert schedule.schedule_type == Schedule.DAILY
