"""Spot check pages, as each office sees them: what is shown, what a form does, and that the
list does not grow in queries."""

from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from manyi.accounts.roles import OrgKind, Role
from manyi.supervision.models import CheckResult, Evidence, Revocation, SpotCheck, SpotCheckStatus
from manyi.supervision.spotchecks.services import close_spot_check, draw_spot_check, record_item
from tests.factories import OrganisationFactory
from tests.supervision.factories_spotchecks import (
    complain,
    drawn_check,
    planned_check,
    staff,
    titles,
)
from tests.titles.decision_helpers import forged_upload, pdf_upload

pytestmark = pytest.mark.django_db

WD, CS, AA = Role.WORKDEPT_STAFF, Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN
LIST = reverse("supervision:spotcheck_list")


def detail_url(check):
    return reverse("supervision:spotcheck_detail", args=[check.pk])


def item_url(item, action=""):
    name = f"supervision:spotcheck_{action}" if action else "supervision:spotcheck_item"
    return reverse(name, args=[item.pk])


# ------------------------------------------------------------------------------------------
# List


def test_the_list_shows_checks_and_the_plan_button_to_the_work_department(world, client_for):
    planned_check(world, name="天河区推进机构抽查", population="agencies")
    page = client_for(WD).get(LIST).content.decode()
    assert "天河区推进机构抽查" in page
    assert "制定抽查计划" in page
    page = client_for(CS).get(LIST).content.decode()
    assert "天河区推进机构抽查" in page
    assert "制定抽查计划" not in page


def test_the_list_filters_and_searches(world, client_for):
    planned_check(world, name="品牌类抽查", population="title_holders", year=2024)
    planned_check(world, name="推进机构抽查", population="agencies", year=2025)
    client = client_for(WD)

    def names(**params):
        return [c.name for c in client.get(LIST, params).context["page"]]

    assert names(q="品牌") == ["品牌类抽查"]
    assert names(population="agencies") == ["推进机构抽查"]
    assert names(year="2024") == ["品牌类抽查"]
    assert names(status="drawn") == []
    assert sorted(names()) == ["品牌类抽查", "推进机构抽查"]


def test_the_list_does_not_grow_in_queries(world, client_for, django_assert_max_num_queries):
    made = titles(world, 3)
    drawn_check(world, titles=made[:1])
    client = client_for(WD)
    client.get(LIST)  # warm the session and the user's memberships
    with django_assert_max_num_queries(20) as one:
        client.get(LIST)
    for _n in range(3):
        drawn_check(world, titles=made, size=2)
        planned_check(world, population="agencies")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"]) == 7


# ------------------------------------------------------------------------------------------
# Plan and draw


def test_planning_through_the_form(world, client_for):
    response = client_for(WD).post(
        reverse("supervision:spotcheck_create"),
        {
            "name": "2026年获证组织抽查",
            "population": "title_holders",
            "size": "3",
            "weighted": "on",
            "purpose": "核查称号宣传",
        },
    )
    check = SpotCheck.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(check)
    assert check.weighted is True
    assert check.created_by == world.users[WD]


def test_an_empty_plan_is_shown_again_with_its_errors(world, client_for):
    response = client_for(WD).post(reverse("supervision:spotcheck_create"), {"size": "0"})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not SpotCheck.objects.exists()


def test_a_planned_check_offers_the_draw_with_the_population_size(world, client_for):
    made = titles(world, 2)
    check = planned_check(world, size=5, year=made[0].year)
    page = client_for(WD).get(detail_url(check)).content.decode()
    assert 'data-preview="2"' in page
    assert "将全部抽取" in page
    assert "抽取 5 个抽查对象" in page
    page = client_for(CS).get(detail_url(check)).content.decode()
    assert "抽取 5 个抽查对象" not in page


def test_drawing_from_the_page_shows_seed_hash_and_reproducibility(world, client_for):
    made = titles(world, 3)
    for title in made:
        complain(title=title)
    check = planned_check(world, size=2, year=made[0].year, weighted=True)
    client = client_for(WD)
    response = client.post(reverse("supervision:spotcheck_draw", args=[check.pk]), follow=True)
    check.refresh_from_db()
    assert check.status == SpotCheckStatus.DRAWN
    page = response.content.decode()
    assert "已从 3 个对象中抽取 2 个" in page
    assert "抽取可复核" in page
    assert str(check.seed) in page
    assert check.population_hash in page
    assert "被投诉 1 件" in page  # the risk factors, in words
    # Drawing again is refused with a message.
    response = client.post(reverse("supervision:spotcheck_draw", args=[check.pk]), follow=True)
    assert "抽取只进行一次" in response.content.decode()


def test_the_page_says_when_the_stored_draw_does_not_check_out(world, client_for):
    check = drawn_check(world, titles=3, size=2)
    SpotCheck.objects.filter(pk=check.pk).update(population_hash="0" * 64)
    page = client_for(CS).get(detail_url(check)).content.decode()
    assert "复核不一致" in page
    assert "抽取可复核" not in page


# ------------------------------------------------------------------------------------------
# One item


def test_recording_a_rectification_with_evidence(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    deadline = timezone.localdate() + timedelta(days=30)
    response = client_for(WD).post(
        item_url(item, "record"),
        {
            "result": "rectify",
            "findings": "宣传册未标明获评年份。",
            "rectify_by": deadline.isoformat(),
            "evidence": [pdf_upload("现场照片.pdf"), pdf_upload("宣传册.pdf")],
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.result == CheckResult.RECTIFY
    assert item.rectify_by == deadline
    assert item.evidence.count() == 2
    page = client_for(CS).get(item_url(item)).content.decode()
    assert "宣传册未标明获评年份。" in page
    evidence = item.evidence.first()
    assert reverse("supervision:evidence", args=[evidence.pk]) in page
    download = client_for(CS).get(reverse("supervision:evidence", args=[evidence.pk]))
    assert download.status_code == 200


def test_a_rectification_without_a_deadline_is_shown_again(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    response = client_for(WD).post(
        item_url(item, "record"),
        {"result": "rectify", "findings": "资料不全", "evidence": [pdf_upload()]},
    )
    assert response.status_code == 200
    assert "限期整改须填写整改期限" in response.content.decode()
    item.refresh_from_db()
    assert item.result == CheckResult.PENDING
    assert not Evidence.objects.exists()


def test_a_forged_file_is_named_in_the_error(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    response = client_for(WD).post(
        item_url(item, "record"),
        {"result": "pass", "findings": "合格", "evidence": [forged_upload("报告.pdf")]},
    )
    assert response.status_code == 200
    assert "报告.pdf" in response.content.decode()
    assert not Evidence.objects.exists()


def test_committee_staff_read_the_item_without_the_forms_or_the_contact(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    item.organisation.contact_person = "陈经理"
    item.organisation.contact_mobile = "13812345678"
    item.organisation.save()
    page = client_for(CS).get(item_url(item)).content.decode()
    assert "13812345678" not in page
    assert "保存检查结论" not in page
    page = client_for(WD).get(item_url(item)).content.decode()
    assert "13812345678" in page
    assert "保存检查结论" in page


def test_a_failed_title_holder_can_be_proposed_for_revocation_from_its_page(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    record_item(item=item, by=staff(world), result="fail", findings="称号对象已停产仍在宣传。")
    client = client_for(WD)
    page = client.get(item_url(item)).content.decode()
    assert "建议撤销称号" in page
    response = client.post(item_url(item, "revoke"), {"facts": "称号对象已停产仍在宣传。"})
    assert response.status_code == 302
    case = Revocation.objects.get()
    assert case.spot_check_item == item
    page = client.get(item_url(item)).content.decode()
    assert f'data-case="{case.pk}"' in page
    assert 'action="{}"'.format(item_url(item, "revoke")) not in page
    assert reverse("supervision:revocation_detail", args=[case.pk]) in page


def test_a_passed_item_offers_no_revocation(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    record_item(item=item, by=staff(world), result="pass", findings="合格")
    page = client_for(WD).get(item_url(item)).content.decode()
    assert item_url(item, "revoke") not in page
    response = client_for(WD).post(item_url(item, "revoke"), {}, follow=True)
    assert "不合格" in response.content.decode()
    assert not Revocation.objects.exists()


def test_a_failed_agency_points_to_the_sanctions(world, client_for):
    check = planned_check(world, population="agencies", agency=world.agency, size=1)
    item = draw_spot_check(spot_check=check, by=staff(world), seed=1).items.get()
    assert item.organisation.kind == OrgKind.AGENCY
    record_item(item=item, by=staff(world), result="fail", findings="推荐材料审核不严。")
    page = client_for(WD).get(item_url(item)).content.decode()
    assert "建议撤销称号" not in page
    try:
        sanctions = reverse("supervision:sanction_list")
    except NoReverseMatch:
        assert "data-sanctions" not in page
    else:
        assert sanctions in page


def test_confirming_a_rectification_from_the_page(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    record_item(
        item=item,
        by=staff(world),
        result="rectify",
        findings="资料不全",
        rectify_by=timezone.localdate() + timedelta(days=5),
    )
    client = client_for(WD)
    response = client.post(item_url(item, "rectified"), {"note": "已补齐资料"}, follow=True)
    assert "整改已确认" in response.content.decode()
    item.refresh_from_db()
    assert item.rectification_note == "已补齐资料"
    response = client.post(item_url(item, "rectified"), {"note": ""}, follow=True)
    assert response.status_code == 200


def test_closing_from_the_page(world, client_for):
    check = drawn_check(world, titles=1)
    client = client_for(WD)
    response = client.post(reverse("supervision:spotcheck_close", args=[check.pk]), follow=True)
    assert "全部记录后" in response.content.decode()
    record_item(item=check.items.get(), by=staff(world), result="pass", findings="合格")
    assert "完成抽查" in client.get(detail_url(check)).content.decode()
    client.post(reverse("supervision:spotcheck_close", args=[check.pk]))
    check.refresh_from_db()
    assert check.status == SpotCheckStatus.CLOSED


# ------------------------------------------------------------------------------------------
# Hub and dashboard


def test_the_hub_has_a_door_with_the_counts(world, client_for):
    item = drawn_check(world, titles=1).items.get()
    record_item(
        item=item,
        by=staff(world),
        result="rectify",
        findings="资料不全",
        rectify_by=timezone.localdate() + timedelta(days=5),
    )
    page = client_for(CS).get(reverse("supervision:index")).content.decode()
    assert LIST in page
    assert "进行中的抽查：1" in page
    assert "待整改：1" in page


def test_the_work_department_sees_its_panels(world, client_for):
    made = titles(world, 2)
    planned_check(world, name="待抽取的抽查", year=made[0].year)
    check = drawn_check(world, titles=made, size=2)
    first = check.items.order_by("position").first()
    record_item(
        item=first,
        by=staff(world),
        result="rectify",
        findings="资料不全",
        rectify_by=timezone.localdate() + timedelta(days=5),
    )
    page = client_for(WD).get(reverse("dashboard")).content.decode()
    assert "抽查待办" in page
    assert "待抽取的抽查：待抽取" in page
    assert "1 个对象待记录结论" in page
    assert "限期整改" in page
    assert first.organisation.name in page
    page = client_for(Role.ENTERPRISE_USER).get(reverse("dashboard")).content.decode()
    assert "抽查待办" not in page


def test_other_roles_are_kept_out(world, client_for):
    check = drawn_check(world, titles=1)
    other = OrganisationFactory(kind=OrgKind.AGENCY)
    assert other.pk  # data that could leak exists
    for role in (Role.ENTERPRISE_USER, Role.AGENCY_STAFF, Role.EXPERT):
        assert client_for(role).get(detail_url(check)).status_code == 403
    assert client_for(AA).get(detail_url(check)).status_code == 200


def test_recording_on_a_closed_check_is_refused_with_a_message(world, client_for):
    check = drawn_check(world, titles=1)
    item = check.items.get()
    record_item(item=item, by=staff(world), result="pass", findings="合格")
    close_spot_check(spot_check=check, by=staff(world))
    response = client_for(WD).post(
        item_url(item, "record"), {"result": "fail", "findings": "改为不合格"}, follow=True
    )
    assert "不能再记录检查结论" in response.content.decode()
    item.refresh_from_db()
    assert item.result == CheckResult.PASS
