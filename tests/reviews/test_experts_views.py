"""The expert pool's pages: the declaration, the expert's assignments, the staff's draw and
replacement from the review page, the expert list and the profile."""

import pytest
from django.urls import reverse

from manyi.accounts.models import ExpertProfile
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.reviews.experts import services
from manyi.reviews.experts.dashboard_panels import panels
from manyi.reviews.models import AssignmentStatus, Declaration, ExpertDraw
from tests.reviews.factories import accepted, make_expert

SEED = 7


@pytest.fixture
def application(world):
    return accepted(world)


@pytest.fixture
def drawn(world, application):
    for _n in range(5):
        make_expert(world, campaign=application.campaign)
    return services.draw_experts(
        application=application, by=world.users[Role.COMMITTEE_STAFF], seed=SEED
    )


def body(response) -> str:
    return response.content.decode()


# ------------------------------------------------------------------------------------------
# The expert's assignments


def test_an_expert_sees_only_their_own_assignments(client_for, drawn):
    mine, theirs = drawn.assignments.order_by("position")[:2]
    client = client_for(mine.expert)
    page = body(client.get(reverse("reviews:experts_assignments")))
    assert reverse("reviews:experts_assignment", args=[mine.pk]) in page
    assert reverse("reviews:experts_assignment", args=[theirs.pk]) not in page
    assert "珠江家电有限公司" in page


def test_another_experts_assignment_is_a_404(client_for, drawn):
    mine, theirs = drawn.assignments.order_by("position")[:2]
    client = client_for(mine.expert)
    for name in ("reviews:experts_assignment", "reviews:experts_assignment_pdf"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
    response = client.post(reverse("reviews:experts_decline", args=[theirs.pk]), {"reason": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == AssignmentStatus.ACTIVE


def test_the_assignment_page_shows_the_materials_and_key_facts(client_for, application, drawn):
    from manyi.applications.models import Application

    Application.objects.filter(pk=application.pk).update(
        form_data={"employees": 1200, "annual_sales": "5321.5"},
        profile="本公司成立于二〇〇八年，专业生产家用电器。",
    )
    assignment = drawn.assignments.first()
    page = body(
        client_for(assignment.expert).get(
            reverse("reviews:experts_assignment", args=[assignment.pk])
        )
    )
    assert "本公司成立于二〇〇八年，专业生产家用电器。" in page
    assert "我们以用户为中心" in page  # the measures text
    facts = page.split("data-facts")[1].split("</dl>")[0]
    assert "职工人数" in facts
    assert "1200" in facts
    assert "5321.5" in facts
    assert reverse("reviews:experts_assignment_pdf", args=[assignment.pk]) in page
    assert reverse("reviews:experts_decline", args=[assignment.pk]) in page


def test_the_pdf_download_is_logged(client_for, drawn):
    assignment = drawn.assignments.first()
    response = client_for(assignment.expert).get(
        reverse("reviews:experts_assignment_pdf", args=[assignment.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    entry = ActivityLog.objects.get(action="application.export_pdf")
    assert entry.actor == assignment.expert


def test_a_closed_assignment_no_longer_shows_the_materials(world, client_for, drawn):
    assignment = drawn.assignments.first()
    services.replace_expert(
        assignment=assignment, by=world.users[Role.COMMITTEE_STAFF], reason="时间冲突"
    )
    client = client_for(assignment.expert)
    page = body(client.get(reverse("reviews:experts_assignment", args=[assignment.pk])))
    assert "我们以用户为中心" not in page
    assert "时间冲突" in page
    pdf = client.get(reverse("reviews:experts_assignment_pdf", args=[assignment.pk]))
    assert pdf.status_code == 403


def test_declining_with_a_reason(client_for, drawn):
    assignment = drawn.assignments.first()
    response = client_for(assignment.expert).post(
        reverse("reviews:experts_decline", args=[assignment.pk]), {"reason": "曾任该企业顾问"}
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLINED
    assert assignment.reason == "曾任该企业顾问"
    assert drawn.assignments.filter(status=AssignmentStatus.ACTIVE).count() == 3


def test_declining_without_a_reason_changes_nothing(client_for, drawn):
    assignment = drawn.assignments.first()
    client = client_for(assignment.expert)
    response = client.post(
        reverse("reviews:experts_decline", args=[assignment.pk]), {"reason": ""}, follow=True
    )
    assert "请填写谢绝原因" in body(response)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_the_assignment_list_takes_the_same_queries_for_one_or_three(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    expert = make_expert(world)
    counts = []
    for category in ("brand", "product", "service"):
        other = accepted(world, category)
        record = ExpertDraw.objects.create(
            application=other, seed=1, needed=1, drawn_by=world.users[Role.COMMITTEE_STAFF]
        )
        record.assignments.create(application=other, expert=expert, position=0)
        if category in ("brand", "service"):
            client = client_for(expert)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse("reviews:experts_assignments")).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[1]


# ------------------------------------------------------------------------------------------
# Declaration


def test_the_declaration_page_shows_the_text_and_finds_enterprises(world, client_for, application):
    expert = make_expert(world)
    url = reverse("reviews:experts_declaration", args=[application.campaign.year])
    page = body(client_for(expert).get(url, {"q": "珠江"}))
    assert "严格保密" in page
    assert "主动回避" in page
    assert f'value="{world.enterprise.pk}"' in page
    assert "白云装饰工程有限公司" not in page


def test_signing_the_declaration_from_the_page(world, client_for, application):
    expert = make_expert(world)
    url = reverse("reviews:experts_declaration", args=[application.campaign.year])
    response = client_for(expert).post(
        url,
        {"conflicts": [world.enterprise.pk], "competitors": "美的集团", "agree": "on"},
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get(expert=expert)
    assert list(declaration.conflicts.all()) == [world.enterprise]
    assert declaration.competitors == "美的集团"
    page = body(client_for(expert).get(url))
    assert "已于" in page
    assert "美的集团" in page


def test_signing_without_the_promise_is_refused(world, client_for, application):
    expert = make_expert(world)
    url = reverse("reviews:experts_declaration", args=[application.campaign.year])
    response = client_for(expert).post(url, {"competitors": "美的集团"})
    assert response.status_code == 200
    assert "请勾选承诺后再签署" in body(response)
    assert not Declaration.objects.exists()


def test_a_forged_organisation_is_refused(world, client_for, application):
    expert = make_expert(world)
    url = reverse("reviews:experts_declaration", args=[application.campaign.year])
    response = client_for(expert).post(url, {"conflicts": [world.agency.pk, 999999], "agree": "on"})
    assert response.status_code == 200
    assert not Declaration.objects.exists()


def test_a_draft_campaign_has_no_declaration_page(world, client_for, application):
    from manyi.campaigns.models import Campaign, CampaignStatus

    Campaign.objects.filter(pk=application.campaign_id).update(status=CampaignStatus.DRAFT)
    expert = make_expert(world)
    url = reverse("reviews:experts_declaration", args=[application.campaign.year])
    assert client_for(expert).get(url).status_code == 404


def test_the_dashboard_says_when_a_declaration_is_due(world, application):
    expert = make_expert(world)
    found = panels(expert)
    assert found[0]["title"] == "保密和无利益冲突声明"
    assert found[0]["url"] == reverse(
        "reviews:experts_declaration", args=[application.campaign.year]
    )
    signed = make_expert(world, campaign=application.campaign)
    assert [p["title"] for p in panels(signed)] == ["我的评审任务"]
    assert panels(world.users[Role.COMMITTEE_STAFF]) == []


def test_the_dashboard_counts_assignments_to_score(drawn):
    assignment = drawn.assignments.first()
    panel = panels(assignment.expert)[-1]
    assert panel["count"] == 1
    assert panel["items"] == ["珠江家电有限公司 · " + assignment.application.get_category_display()]


# ------------------------------------------------------------------------------------------
# The review page (committee staff)


def test_staff_draw_from_the_review_page(world, client_for, application):
    for _n in range(4):
        make_expert(world, campaign=application.campaign)
    excluded = make_expert(world, name="未声明专家")
    client = client_for(Role.COMMITTEE_STAFF)
    detail = reverse("reviews:detail", args=[application.pk])
    before = body(client.get(detail))
    assert reverse("reviews:experts_draw", args=[application.pk]) in before
    assert "抽取 3 位评审专家" in before
    assert "目前符合条件的专家 4 位" in before
    response = client.post(reverse("reviews:experts_draw", args=[application.pk]))
    assert response.status_code == 302
    record = ExpertDraw.objects.get(application=application)
    after = body(client.get(detail))
    assert f"随机种子 {record.seed}" in after
    assert "复核抽取结果：一致" in after
    assert "未声明专家" in after
    assert "未签署本年度保密和无利益冲突声明" in after
    assert reverse("reviews:experts_replace", args=[record.assignments.first().pk]) in after
    assert reverse("reviews:experts_draw", args=[application.pk]) not in after
    assert excluded.pk not in record.candidates


def test_a_refused_draw_tells_why(world, client_for, application):
    make_expert(world, campaign=application.campaign)
    client = client_for(Role.COMMITTEE_STAFF)
    response = client.post(reverse("reviews:experts_draw", args=[application.pk]), follow=True)
    assert "符合条件的专家只有 1 位" in body(response)
    assert not ExpertDraw.objects.exists()


def test_staff_replace_with_a_reason(client_for, drawn):
    assignment = drawn.assignments.get(position=0)
    client = client_for(Role.COMMITTEE_STAFF)
    url = reverse("reviews:experts_replace", args=[assignment.pk])
    client.post(url, {"reason": ""})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE
    client.post(url, {"reason": "专家反映与企业有合作"})
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REPLACED
    assert ActivityLog.objects.get(action="expert.replace").note == "专家反映与企业有合作"


def test_the_work_department_reads_but_does_not_act(client_for, application, drawn):
    page = body(
        client_for(Role.WORKDEPT_STAFF).get(reverse("reviews:detail", args=[application.pk]))
    )
    assert f"随机种子 {drawn.seed}" in page
    assert reverse("reviews:experts_replace", args=[drawn.assignments.first().pk]) not in page


def test_nothing_to_see_before_acceptance(world, client_for):
    from tests.reviews.factories import after_recommendation

    recommended = after_recommendation(world)
    page = body(
        client_for(Role.COMMITTEE_STAFF).get(reverse("reviews:detail", args=[recommended.pk]))
    )
    assert 'id="experts"' not in page


# ------------------------------------------------------------------------------------------
# Expert list, profile, navigation


def test_the_expert_list_shows_availability_and_declaration(world, client_for, application):
    signed = make_expert(world, campaign=application.campaign, name="已签专家")
    away = make_expert(world, name="出差专家")
    ExpertProfile.objects.filter(user=away).update(available=False, unavailable_note="十月出国")
    page = body(client_for(Role.COMMITTEE_STAFF).get(reverse("accounts:expert_list")))
    assert f'data-expert="{signed.pk}"' in page
    assert "十月出国" in page
    assert f"{application.campaign.year} 年度声明" in page
    row_signed = page.split(f'data-expert="{signed.pk}"')[1].split("</tr>")[0]
    row_away = page.split(f'data-expert="{away.pk}"')[1].split("</tr>")[0]
    assert 'data-declared="yes"' in row_signed
    assert 'data-declared="no"' in row_away
    assert 'data-available="no"' in row_away


def test_the_expert_marks_themselves_unavailable(world, client_for):
    expert = make_expert(world)
    client_for(expert).post(
        reverse("accounts:expert_profile"),
        {
            "title": "教授",
            "employer": "华南理工大学",
            "specialties": "质量管理",
            "industries": "家电",
            "district": "tianhe",
            "unavailable_note": "十月出国",
        },
    )
    profile = ExpertProfile.objects.get(user=expert)
    assert profile.available is False
    assert profile.unavailable_note == "十月出国"


def test_experts_find_their_reviews_in_the_navigation(world):
    from manyi.portal.navigation import navigation_for

    def urls(user):
        found = []
        for item in navigation_for(user):
            found += [c["url"] for c in item.get("children", [item])]
        return found

    expert = make_expert(world)
    assert reverse("reviews:experts_assignments") in urls(expert)
    assert reverse("reviews:experts_assignments") not in urls(world.users[Role.COMMITTEE_STAFF])
