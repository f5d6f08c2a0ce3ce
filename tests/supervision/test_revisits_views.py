"""The revisit pages: staff's list, planning, draw and revisit page; the experts' own revisits
(another expert's is a 404); the holder's notices; the dashboard panels and the hub."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.supervision.models import Revisit, RevisitDraw, RevisitStatus, Revocation
from tests.factories import MembershipFactory
from tests.supervision.factories_revisits import experts, notified, revisit, title_of
from tests.titles.decision_helpers import pdf_upload

pytestmark = pytest.mark.django_db


def later(days=14):
    return timezone.localdate() + timedelta(days=days)


# ------------------------------------------------------------------------------------------
# Staff


def test_the_list_filters_by_status_and_searches_the_holder(world, client_for):
    shown = revisit(world, title_of(world), visit_on=later())
    hidden, _team = notified(world)
    client = client_for(Role.COMMITTEE_STAFF)
    page = client.get(reverse("supervision:revisit_list"), {"status": "planned"})
    assert f'data-revisit="{shown.pk}"' in page.text
    assert f'data-revisit="{hidden.pk}"' not in page.text
    found = client.get(
        reverse("supervision:revisit_list"), {"q": hidden.title.organisation.name[:6]}
    )
    assert f'data-revisit="{hidden.pk}"' in found.text
    by_number = client.get(reverse("supervision:revisit_list"), {"q": shown.title.number.lower()})
    assert f'data-revisit="{shown.pk}"' in by_number.text
    assert f'data-revisit="{hidden.pk}"' not in by_number.text


def test_the_list_costs_the_same_queries_for_one_or_three_revisits(world, client_for):
    client = client_for(Role.COMMITTEE_STAFF)
    notified(world)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("supervision:revisit_list"))
    notified(world)
    notified(world)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("supervision:revisit_list"))
    assert len(three) == len(one)


def test_the_work_department_reads_without_buttons(world, client_for):
    revisit(world, visit_on=later())
    page = client_for(Role.WORKDEPT_STAFF).get(reverse("supervision:revisit_list"))
    assert page.status_code == 200
    assert reverse("supervision:revisit_plan") not in page.text


def test_planning_by_hand_through_the_page(world, client_for):
    title = title_of(world)
    other = title_of(world)
    client = client_for(Role.COMMITTEE_STAFF)
    found = client.get(reverse("supervision:revisit_plan"), {"q": title.number})
    assert f'data-title="{title.pk}"' in found.text
    assert f'data-title="{other.pk}"' not in found.text
    assert "顾客投诉处理记录" in found.text  # the default of what to prepare
    response = client.post(
        reverse("supervision:revisit_plan"),
        {"titles": [title.pk], "visit_on": later().isoformat(), "prepare": "称号证书"},
    )
    made = Revisit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("supervision:revisit_detail", args=[made.pk])
    assert made.prepare == "称号证书"


def test_planning_without_a_title_shows_the_form_again(world, client_for):
    title_of(world)
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("supervision:revisit_plan"), {"visit_on": later().isoformat(), "prepare": "材料"}
    )
    assert response.status_code == 200
    assert "请至少选择一个称号" in response.text
    assert not Revisit.objects.exists()


def test_the_draw_page_draws_and_shows_the_check(world, client_for):
    for _ in range(3):
        title_of(world, "service")
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(
        reverse("supervision:revisit_draw"),
        {
            "category": "service",
            "size": "2",
            "seed": "42",
            "visit_on": later().isoformat(),
            "prepare": "材料",
        },
    )
    record = RevisitDraw.objects.get()
    assert response.url == reverse("supervision:revisit_draw_detail", args=[record.pk])
    assert record.seed == 42
    page = client.get(response.url)
    assert 'data-check="same"' in page.text
    assert "42" in page.text
    assert page.text.count("data-revisit") == 0  # the drawn rows link to the revisits instead
    assert all(
        reverse("supervision:revisit_detail", args=[r.pk]) in page.text
        for r in Revisit.objects.filter(batch=record)
    )


def test_a_refused_draw_shows_why(world, client_for):
    title_of(world, "service")
    response = client_for(Role.COMMITTEE_STAFF).post(
        reverse("supervision:revisit_draw"),
        {"category": "service", "size": "5", "visit_on": later().isoformat(), "prepare": "材料"},
    )
    assert response.status_code == 200
    assert "只有 1 个" in response.text


def test_staff_draw_experts_notify_and_see_the_excluded(world, client_for):
    title = title_of(world)
    team = experts(world, 2)
    left_out = experts(world, 1, organisation=world.agency)[0]
    planned = revisit(world, title, visit_on=later())
    client = client_for(Role.COMMITTEE_STAFF)
    detail = reverse("supervision:revisit_detail", args=[planned.pk])
    assert 'data-action="draw-experts"' in client.get(detail).text
    client.post(reverse("supervision:revisit_experts", args=[planned.pk]))
    page = client.get(detail)
    for expert in team:
        assert f'data-expert="{expert.pk}"' in page.text
    assert "data-leader" in page.text
    assert left_out.display_name in page.text  # among the excluded, with the reason
    assert "推荐单位" in page.text
    client.post(reverse("supervision:revisit_notify", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == RevisitStatus.NOTIFIED


def test_a_refused_notice_is_said_on_the_page(world, client_for):
    planned = revisit(world, visit_on=later())
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(reverse("supervision:revisit_notify", args=[planned.pk]), follow=True)
    assert "请先指派回访专家" in response.text


def test_staff_replace_an_expert_from_the_page(world, client_for):
    extra = experts(world, 1)[0]
    current, team = notified(world, visit_on=later())
    place = current.experts.get(expert=team[1])
    client_for(Role.COMMITTEE_STAFF).post(
        reverse("supervision:revisit_replace", args=[place.pk]), {"reason": "身体原因"}
    )
    assert current.experts.filter(expert=extra).exists()
    assert not current.experts.filter(expert=team[1]).exists()


def test_staff_cancel_with_a_reason_shown_on_the_page(world, client_for):
    planned = revisit(world, visit_on=later())
    client = client_for(Role.COMMITTEE_STAFF)
    client.post(reverse("supervision:revisit_cancel", args=[planned.pk]), {"reason": "企业停业"})
    page = client.get(reverse("supervision:revisit_detail", args=[planned.pk]))
    assert 'data-revisit-status="cancelled"' in page.text
    assert "企业停业" in page.text


# ------------------------------------------------------------------------------------------
# Experts


def test_an_expert_sees_their_revisits_and_the_holders_key_facts(world, client_for):
    current, team = notified(world)
    application = current.title.application
    application.form_data = {"employees": 1200}
    application.save(update_fields=["form_data"])
    client = client_for(team[1])
    mine = client.get(reverse("supervision:revisit_mine"))
    assert f'data-revisit="{current.pk}"' in mine.text
    page = client.get(reverse("supervision:revisit_detail", args=[current.pk]))
    assert page.status_code == 200
    assert current.title.number in page.text
    assert current.title.organisation.name in page.text
    assert 'data-action="record"' not in page.text  # only the leader records
    assert "data-excluded" not in page.text  # who was left out is the staff's


def test_another_expert_gets_a_404(world, client_for):
    current, _team = notified(world)
    outsider = experts(world, 1)[0]
    client = client_for(outsider)
    assert client.get(reverse("supervision:revisit_detail", args=[current.pk])).status_code == 404
    response = client.post(
        reverse("supervision:revisit_record", args=[current.pk]),
        {"passed": "no", "findings": "不合格"},
    )
    assert response.status_code == 404
    assert (
        f'data-revisit="{current.pk}"' not in client.get(reverse("supervision:revisit_mine")).text
    )


def test_an_expert_does_not_see_a_revisit_before_its_notice(world, client_for):
    team = experts(world, 2)
    planned = revisit(world, visit_on=later(), team=team)
    client = client_for(team[0])
    assert client.get(reverse("supervision:revisit_detail", args=[planned.pk])).status_code == 404
    assert (
        f'data-revisit="{planned.pk}"' not in client.get(reverse("supervision:revisit_mine")).text
    )


def test_the_leader_records_a_failure_and_the_page_links_the_case(world, client_for):
    current, team = notified(world)
    client = client_for(team[0])
    page = client.get(reverse("supervision:revisit_detail", args=[current.pk]))
    assert 'data-action="record"' in page.text
    response = client.post(
        reverse("supervision:revisit_record", args=[current.pk]),
        {"passed": "no", "findings": "投诉台账缺失。", "evidence": [pdf_upload("照片.pdf")]},
        follow=True,
    )
    case = Revocation.objects.get(revisit=current)
    assert "撤销建议已报送" in response.text
    assert 'data-revisit-status="failed"' in response.text
    assert 'data-case="proposed"' in response.text
    assert reverse("supervision:revocation_detail", args=[case.pk]) in response.text
    assert "照片.pdf" in response.text


def test_a_record_without_findings_is_refused_with_the_reason(world, client_for):
    current, team = notified(world)
    response = client_for(team[0]).post(
        reverse("supervision:revisit_record", args=[current.pk]), {"passed": "no"}, follow=True
    )
    assert "请填写回访发现" in response.text
    current.refresh_from_db()
    assert current.status == RevisitStatus.NOTIFIED


def test_the_evidence_of_a_revisit_is_downloaded_by_its_experts_only(world, client_for):
    from manyi.supervision.revisits.services import record_revisit

    current, team = notified(world)
    record_revisit(revisit=current, by=team[0], passed=True, findings="好", evidence=[pdf_upload()])
    evidence = current.evidence.get()
    url = reverse("supervision:evidence", args=[evidence.pk])
    assert client_for(team[1]).get(url).status_code == 200
    assert client_for(experts(world, 1)[0]).get(url).status_code == 404


# ------------------------------------------------------------------------------------------
# The holder


def test_the_holder_sees_its_notified_revisits_only(world, client_for):
    title = title_of(world, organisation=world.enterprise)
    shown, team = notified(world, title, visit_on=later())
    hidden = revisit(
        world, title_of(world, "service", organisation=world.enterprise), visit_on=later()
    )
    elsewhere, _t = notified(world)
    page = client_for(Role.ENTERPRISE_USER).get(reverse("supervision:revisit_holder_list"))
    assert f'data-revisit="{shown.pk}"' in page.text
    assert team[0].display_name in page.text
    assert f'data-revisit="{hidden.pk}"' not in page.text
    assert f'data-revisit="{elsewhere.pk}"' not in page.text
    assert (
        f'data-revisit="{shown.pk}"'
        not in client_for(world.outsider).get(reverse("supervision:revisit_holder_list")).text
    )


def test_the_dashboard_tells_the_holder_the_expert_and_staff(world, client_for):
    title = title_of(world, organisation=world.enterprise)
    current, team = notified(world, title, visit_on=later(5))
    holder_page = client_for(Role.ENTERPRISE_USER).get(reverse("dashboard"))
    assert "回访确认通知" in holder_page.text
    assert current.title.number in holder_page.text
    expert_page = client_for(team[0]).get(reverse("dashboard"))
    assert reverse("supervision:revisit_mine") in expert_page.text
    staff_page = client_for(Role.COMMITTEE_STAFF).get(reverse("dashboard"))
    assert reverse("supervision:revisit_list") in staff_page.text


def test_the_hub_counts_the_revisits_ahead(world, client_for):
    revisit(world, visit_on=later())
    notified(world)
    page = client_for(Role.COMMITTEE_STAFF).get(reverse("supervision:index"))
    assert reverse("supervision:revisit_list") in page.text
    assert "回访确认" in page.text


def test_a_colleague_of_the_holder_is_told_too(world):
    from manyi.common.models import OutboxMessage
    from manyi.supervision.revisits.services import notify_revisit

    title = title_of(world, organisation=world.enterprise)
    MembershipFactory(organisation=world.enterprise, role=Role.ENTERPRISE_USER)
    planned = revisit(world, title, visit_on=later(), team=experts(world, 2))
    notify_revisit(revisit=planned, by=world.users[Role.COMMITTEE_STAFF])
    told = set(
        OutboxMessage.objects.filter(template="supervision/revisit_notice").values_list(
            "to", flat=True
        )
    )
    assert world.users[Role.ENTERPRISE_USER].email in told
    assert world.colleague.email in told
    assert world.outsider.email not in told
