"""The diagnosis pages as each role sees them: lists scoped per role, another organisation's
diagnosis a 404, forms that say what is wrong and change nothing, buttons only for who may
press them."""

import datetime as dt

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.diagnostics.models import Diagnosis, DiagnosisStatus, DiagnosticExpert
from manyi.selfmeasure.models import ImprovementPlan
from tests.diagnostics.factories import (
    accepted,
    agency_experts,
    answered,
    confirm_membership,
    leader_of,
    reported,
    requested,
    scheduled,
    visited,
)
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def other_diagnosis(world) -> Diagnosis:
    """A diagnosis of world.other_enterprise by world.other_agency: nobody of world's own sees it."""
    user = MembershipFactory(organisation=world.other_enterprise, role=Role.ENTERPRISE_USER).user
    return Diagnosis.objects.create(
        enterprise=world.other_enterprise,
        agency=world.other_agency,
        needs="别家的需求",
        contact_name="别家",
        contact_mobile="13900000000",
        requested_by=user,
    )


def test_the_list_shows_each_role_its_own(world, client_for):
    mine = requested(world)
    theirs = other_diagnosis(world)

    for role in (Role.ENTERPRISE_USER, Role.AGENCY_STAFF):
        html = page(client_for(role), "/diagnostics/")
        assert f'data-diagnosis="{mine.pk}"' in html
        assert f'data-diagnosis="{theirs.pk}"' not in html
    html = page(client_for(Role.COMMITTEE_STAFF), "/diagnostics/")
    assert f'data-diagnosis="{mine.pk}"' in html
    assert f'data-diagnosis="{theirs.pk}"' in html
    # The world's expert is in no group: the list is empty for them.
    html = page(client_for(Role.EXPERT), "/diagnostics/")
    assert "data-diagnosis=" not in html


def test_an_expert_sees_the_diagnoses_of_their_groups(world, client_for):
    diagnosis = scheduled(world)
    html = page(client_for(leader_of(world)), "/diagnostics/")
    assert f'data-diagnosis="{diagnosis.pk}"' in html
    assert "机构专家1（组长）" in html


def test_the_list_filters_by_status_and_searches_by_name(world, client_for):
    mine = requested(world)
    other_diagnosis(world)
    client = client_for(Role.COMMITTEE_STAFF)

    html = page(client, "/diagnostics/?q=珠江")
    assert html.count("data-diagnosis=") == 1
    assert f'data-diagnosis="{mine.pk}"' in html
    assert "data-diagnosis=" not in page(client, "/diagnostics/?status=answered")
    # Unknown filter values are ignored, not an error.
    assert page(client, "/diagnostics/?status=nonsense&agency=x").count("data-diagnosis=") == 2


def test_another_organisations_diagnosis_is_not_found(world, client_for):
    theirs = other_diagnosis(world)
    for role in (Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.EXPERT):
        client = client_for(role)
        assert client.get(f"/diagnostics/{theirs.pk}/").status_code == 404
        assert client.get(f"/diagnostics/{theirs.pk}/report.pdf").status_code == 404
    assert (
        client_for(Role.AGENCY_STAFF).post(f"/diagnostics/{theirs.pk}/accept/").status_code == 404
    )
    assert Diagnosis.objects.get(pk=theirs.pk).status == DiagnosisStatus.REQUESTED


def test_requesting_through_the_form(world, client_for):
    confirm_membership(world)
    client = client_for(Role.ENTERPRISE_USER)
    html = page(client, "/diagnostics/new/")
    assert "天河区质量技术协会" in html

    response = client.post(
        "/diagnostics/new/",
        {
            "agency": world.agency.pk,
            "needs": "希望诊断投诉处理",
            "preferred_dates": "下周",
            "contact_name": "梁经理",
            "contact_mobile": "020-83341934",
        },
    )

    diagnosis = Diagnosis.objects.get()
    assert response["Location"] == f"/diagnostics/{diagnosis.pk}/"
    assert diagnosis.contact_mobile == "020-83341934"


def test_a_bad_request_is_shown_again_and_nothing_is_stored(world, client_for):
    confirm_membership(world)
    client = client_for(Role.ENTERPRISE_USER)
    response = client.post(
        "/diagnostics/new/",
        {"agency": world.agency.pk, "needs": "x", "contact_name": "梁", "contact_mobile": "123"},
    )
    assert response.status_code == 200
    assert "请输入有效的电话号码" in response.content.decode()
    assert not Diagnosis.objects.exists()


def test_without_a_confirmed_agency_the_form_says_so(world, client_for):
    html = page(client_for(Role.ENTERPRISE_USER), "/diagnostics/new/")
    assert "data-no-agency" in html


def test_the_agency_sees_accept_and_decline_the_enterprise_withdraw(world, client_for):
    diagnosis = requested(world)
    url = f"/diagnostics/{diagnosis.pk}/"

    agency = page(client_for(Role.AGENCY_STAFF), url)
    assert 'data-action="accept"' in agency
    assert 'data-action="withdraw"' not in agency
    enterprise = page(client_for(Role.ENTERPRISE_USER), url)
    assert 'data-action="withdraw"' in enterprise
    assert 'data-action="accept"' not in enterprise
    staff = page(client_for(Role.COMMITTEE_STAFF), url)
    assert "data-buttons" not in staff


def test_the_contact_mobile_is_masked_for_those_who_do_not_arrange_the_visit(world, client_for):
    diagnosis = scheduled(world)
    url = f"/diagnostics/{diagnosis.pk}/"
    assert "13800138000" in page(client_for(Role.AGENCY_STAFF), url)
    assert "13800138000" in page(client_for(Role.ENTERPRISE_USER), url)
    committee = page(client_for(Role.COMMITTEE_STAFF), url)
    assert "13800138000" not in committee
    assert "138****8000" in committee
    assert "13800138000" not in page(client_for(leader_of(world)), url)


def test_declining_through_the_page_needs_a_reason(world, client_for):
    diagnosis = requested(world)
    client = client_for(Role.AGENCY_STAFF)
    response = client.post(f"/diagnostics/{diagnosis.pk}/decline/", {"reason": ""}, follow=True)
    assert "请填写不予受理的理由" in response.content.decode()
    assert Diagnosis.objects.get().status == DiagnosisStatus.REQUESTED

    client.post(f"/diagnostics/{diagnosis.pk}/decline/", {"reason": "专家已排满"})
    assert Diagnosis.objects.get().status == DiagnosisStatus.DECLINED


def test_forming_the_group_through_the_page(world, client_for):
    diagnosis = accepted(world)
    leader, member = agency_experts(world)
    client = client_for(Role.AGENCY_STAFF)
    html = page(client, f"/diagnostics/{diagnosis.pk}/group/")
    assert f'data-candidate="{leader.pk}" data-pool="agency"' in html

    response = client.post(
        f"/diagnostics/{diagnosis.pk}/group/", {"experts": [leader.pk], "leader": leader.pk}
    )
    assert response.status_code == 400
    assert "至少需要 2 位专家" in response.content.decode()
    assert not DiagnosticExpert.objects.exists()

    response = client.post(
        f"/diagnostics/{diagnosis.pk}/group/",
        {"experts": [leader.pk, member.pk], "leader": member.pk},
    )
    assert response["Location"] == f"/diagnostics/{diagnosis.pk}/"
    assert DiagnosticExpert.objects.get(is_leader=True).expert == member


def test_the_committee_pool_is_said_when_it_opens(world, client_for):
    diagnosis = accepted(world)
    html = page(client_for(Role.AGENCY_STAFF), f"/diagnostics/{diagnosis.pk}/group/")
    assert "data-committee-pool" in html
    assert f'data-candidate="{world.users[Role.EXPERT].pk}" data-pool="committee"' in html


def test_scheduling_through_the_page(world, client_for):
    from tests.diagnostics.factories import grouped

    diagnosis = grouped(world)
    client = client_for(Role.AGENCY_STAFF)
    day = timezone.localdate() + dt.timedelta(days=5)
    response = client.post(
        f"/diagnostics/{diagnosis.pk}/schedule/",
        {"day": day.isoformat(), "time": "09:30", "place": "企业二楼会议室"},
    )
    assert response["Location"] == f"/diagnostics/{diagnosis.pk}/"
    diagnosis.refresh_from_db()
    assert timezone.localtime(diagnosis.visit_starts_at).time() == dt.time(9, 30)
    assert diagnosis.visit_place == "企业二楼会议室"

    past = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(
        f"/diagnostics/{diagnosis.pk}/schedule/",
        {"day": past.isoformat(), "time": "09:30", "place": "别处"},
    )
    assert response.status_code == 400
    assert "诊断时间应晚于现在" in response.content.decode()
    assert Diagnosis.objects.get().visit_place == "企业二楼会议室"


def test_the_agency_cannot_open_the_group_page_of_a_reported_diagnosis(world, client_for):
    diagnosis = reported(world)
    client = client_for(Role.AGENCY_STAFF)
    assert client.get(f"/diagnostics/{diagnosis.pk}/group/").status_code == 403
    assert client.get(f"/diagnostics/{diagnosis.pk}/schedule/").status_code == 403


def report_post(**extra):
    return {
        "summary": "总体良好",
        "finding": ["投诉处理没有时限", ""],
        "recommendation": ["建立投诉闭环", ""],
        "priority": ["high", "medium"],
    } | extra


def test_the_leader_saves_a_draft_the_member_reads_it_the_enterprise_does_not(world, client_for):
    diagnosis = scheduled(world)
    leader, member = agency_experts(world)
    client = client_for(leader)
    html = page(client, f"/diagnostics/{diagnosis.pk}/report/")
    # One spare row of each, for a browser without JavaScript.
    assert html.count('name="finding"') == 2  # the row and the <template>'s
    assert "data-submit-later" in html

    response = client.post(f"/diagnostics/{diagnosis.pk}/report/", report_post(save="1"))
    assert response["Location"] == f"/diagnostics/{diagnosis.pk}/report/"
    html = page(client, f"/diagnostics/{diagnosis.pk}/report/")
    assert "投诉处理没有时限" in html
    assert html.count('name="finding"') == 3

    member_page = page(client_for(member), f"/diagnostics/{diagnosis.pk}/")
    assert 'data-report="draft"' in member_page
    assert "投诉处理没有时限" in member_page
    assert 'data-action="write-report"' not in member_page
    enterprise_page = page(client_for(Role.ENTERPRISE_USER), f"/diagnostics/{diagnosis.pk}/")
    assert "投诉处理没有时限" not in enterprise_page
    assert client_for(member).get(f"/diagnostics/{diagnosis.pk}/report/").status_code == 403


def test_the_leader_submits_on_the_visit_day(world, client_for):
    diagnosis = visited(world)
    client = client_for(leader_of(world))
    response = client.post(f"/diagnostics/{diagnosis.pk}/report/", report_post(submit="1"))

    assert response["Location"] == f"/diagnostics/{diagnosis.pk}/"
    diagnosis.refresh_from_db()
    assert diagnosis.status == DiagnosisStatus.REPORTED
    assert diagnosis.report.recommendations == [
        {"key": "R1", "text": "建立投诉闭环", "priority": "high"}
    ]


def test_submitting_without_findings_keeps_the_draft_and_says_why(world, client_for):
    diagnosis = visited(world)
    client = client_for(leader_of(world))
    response = client.post(
        f"/diagnostics/{diagnosis.pk}/report/", report_post(finding=[""], submit="1")
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "请至少写一条发现的问题" in html
    assert "草稿已保存，但还不能提交" in html
    assert Diagnosis.objects.get().status == DiagnosisStatus.SCHEDULED


def test_the_enterprise_reads_the_report_and_downloads_the_pdf(world, client_for):
    diagnosis = reported(world)
    client = client_for(Role.ENTERPRISE_USER)
    html = page(client, f"/diagnostics/{diagnosis.pk}/")
    assert 'data-report="submitted"' in html
    assert 'data-action="answer"' in html
    assert 'data-recommendation="R1" data-priority="high"' in html

    response = client.get(f"/diagnostics/{diagnosis.pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert ActivityLog.objects.filter(action="diagnosis.report_pdf").count() == 1


def test_answering_through_the_page(world, client_for):
    diagnosis = reported(world)
    client = client_for(Role.ENTERPRISE_USER)
    html = page(client, f"/diagnostics/{diagnosis.pk}/answer/")
    # A row per recommendation and a spare one (plus the <template>'s).
    assert html.count('name="action_description"') == 4

    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    missing_high = {
        "reply": "同意",
        "action_driver": ["R2"],
        "action_description": ["完善台账"],
        "action_owner": ["售后部"],
        "action_due_on": [due],
    }
    response = client.post(f"/diagnostics/{diagnosis.pk}/answer/", missing_high)
    assert response.status_code == 400
    assert "尚未对应：R1" in response.content.decode()
    assert not ImprovementPlan.objects.exists()

    answer = {
        "reply": "同意",
        "action_driver": ["R1", "R2", ""],
        "action_description": ["制定制度", "完善台账", ""],
        "action_owner": ["客服部", "售后部", ""],
        "action_due_on": [due, due, ""],
    }
    response = client.post(f"/diagnostics/{diagnosis.pk}/answer/", answer)
    plan = ImprovementPlan.objects.get()
    assert response["Location"] == f"/own/plans/{plan.pk}/"
    assert plan.actions.count() == 2


def test_the_plan_page_of_a_diagnosis_shows_the_recommendations(world, client_for):
    diagnosis = answered(world)
    plan = diagnosis.improvement_plan
    client = client_for(Role.ENTERPRISE_USER)
    html = page(client, f"/own/plans/{plan.pk}/")

    assert "data-diagnosis-link" in html
    assert f"/diagnostics/{diagnosis.pk}/" in html
    assert 'data-recommendation-row="R1"' in html
    assert "建立投诉处理 48 小时闭环制度" in html
    assert 'data-table="changes"' not in html

    action = plan.actions.get(driver="R1")
    client.post(f"/own/plans/{plan.pk}/actions/{action.pk}/done/", {"note": "已发布"})
    action.refresh_from_db()
    assert action.is_done


def test_the_agency_and_the_group_read_the_plans_progress(world, client_for):
    diagnosis = answered(world)
    action = diagnosis.improvement_plan.actions.get(driver="R1")
    from manyi.selfmeasure import plans

    plans.complete_action(action=action, by=world.users[Role.ENTERPRISE_USER], note="已发布")
    for who in (
        world.users[Role.AGENCY_STAFF],
        leader_of(world),
        world.users[Role.COMMITTEE_STAFF],
    ):
        html = page(client_for(who), f"/diagnostics/{diagnosis.pk}/")
        assert 'data-plan-progress="1/2"' in html
        assert "data-plan-link" not in html
    # The plan page itself stays the enterprise's.
    assert (
        client_for(Role.AGENCY_STAFF)
        .get(f"/own/plans/{diagnosis.improvement_plan.pk}/")
        .status_code
        == 403
    )
