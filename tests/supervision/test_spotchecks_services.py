"""Spot check services: plan, draw (stored and reproducible), record, rectify, revoke, close.
Each test checks the rows, the activity log, the mail and the files, not only the answer."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog, OutboxMessage
from manyi.supervision.models import (
    CheckResult,
    Evidence,
    Revocation,
    RevocationReason,
    SpotCheck,
    SpotCheckStatus,
)
from manyi.supervision.spotchecks import services
from manyi.supervision.spotchecks.services import (
    check_draw,
    close_spot_check,
    confirm_rectified,
    draw_spot_check,
    plan_spot_check,
    propose_revocation,
    record_item,
)
from manyi.titles.models import TitleStatus
from tests.reviews.factories import granted_title
from tests.supervision.factories_spotchecks import drawn_check, planned_check, staff, titles
from tests.titles.decision_helpers import forged_upload, past_campaign, pdf_upload

pytestmark = pytest.mark.django_db


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "supervision"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def record(world, item, result="pass", *, findings="现场核查称号使用情况，符合要求。", **kwargs):
    """Record as the work department, then read the item again (as the next page would)."""
    record_item(item=item, by=staff(world), result=result, findings=findings, **kwargs)
    item.refresh_from_db()
    return item


def later(days=14):
    return timezone.localdate() + timedelta(days=days)


# ------------------------------------------------------------------------------------------
# Plan


def test_planning_stores_the_check_and_logs_it(world):
    check = plan_spot_check(
        by=staff(world),
        name=" 2026年品牌类抽查 ",
        population="title_holders",
        size=5,
        year=2024,
        category="brand",
        agency=world.agency,
        weighted=True,
        purpose="核查称号宣传是否标明年份。",
    )
    check.refresh_from_db()
    assert check.name == "2026年品牌类抽查"
    assert check.status == SpotCheckStatus.PLANNED
    assert (check.year, check.category, check.agency, check.size) == (
        2024,
        "brand",
        world.agency,
        5,
    )
    assert check.weighted is True
    entry = ActivityLog.objects.get(action="spotcheck.create")
    assert entry.actor == staff(world)
    assert entry.after["weighted"] is True


def test_the_administrator_may_stand_in_committee_staff_may_not(world):
    planned_check(world, population="agencies")  # work department
    plan_spot_check(
        by=world.users[Role.ASSOCIATION_ADMIN], name="代为抽查", population="agencies", size=1
    )
    with pytest.raises(PermissionDenied):
        plan_spot_check(
            by=world.users[Role.COMMITTEE_STAFF], name="越权", population="agencies", size=1
        )
    assert SpotCheck.objects.count() == 2


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("name", {"name": "  "}),
        ("population", {"population": "everyone"}),
        ("size", {"size": 0}),
        ("category", {"category": "shoes"}),
        ("year", {"year": 1999}),
    ],
)
def test_a_bad_plan_is_refused_on_its_field(world, field, kwargs):
    args = {"name": "抽查", "population": "agencies", "size": 2, **kwargs}
    with pytest.raises(ValidationError) as refused:
        plan_spot_check(by=staff(world), **args)
    assert field in refused.value.error_dict
    assert not SpotCheck.objects.exists()


def test_an_enterprise_is_not_an_agency_to_narrow_to(world):
    with pytest.raises(ValidationError) as refused:
        plan_spot_check(
            by=staff(world), name="抽查", population="agencies", size=1, agency=world.enterprise
        )
    assert "agency" in refused.value.error_dict


# ------------------------------------------------------------------------------------------
# Draw


def test_the_draw_stores_seed_frame_hash_and_items(world):
    made = titles(world, 4)
    check = planned_check(world, size=2, year=made[0].year, weighted=True)
    drawn = draw_spot_check(spot_check=check, by=staff(world), seed=42)
    drawn.refresh_from_db()
    assert drawn.status == SpotCheckStatus.DRAWN
    assert drawn.seed == 42
    assert drawn.population_size == 4
    assert len(drawn.population_hash) == 64
    assert [m["title"] for m in drawn.frame] == sorted(t.pk for t in made)
    items = list(drawn.items.order_by("position"))
    assert [i.position for i in items] == [1, 2]
    assert {i.title_id for i in items} <= {t.pk for t in made}
    assert all(i.result == CheckResult.PENDING for i in items)
    assert all("title_age" in i.risk for i in items)
    entry = ActivityLog.objects.get(action="spotcheck.draw")
    assert entry.after["seed"] == 42
    assert entry.after["drawn"] == [i.organisation_id for i in items]
    assert drawn.drawn_by == staff(world)


def test_a_stored_draw_checks_out(world):
    check = drawn_check(world, titles=5, size=3)
    assert check_draw(check) is True


def test_the_same_seed_on_the_same_frame_gives_the_same_list_another_seed_another(world):
    made = titles(world, 12)
    year = made[0].year

    def drawn_with(seed):
        check = planned_check(world, size=4, year=year)
        draw_spot_check(spot_check=check, by=staff(world), seed=seed)
        return list(check.items.order_by("position").values_list("title_id", flat=True))

    first = drawn_with(7)
    assert drawn_with(7) == first
    assert drawn_with(8) != first


def test_a_seed_is_chosen_when_none_is_given(world):
    made = titles(world, 2)
    check = planned_check(world, size=1, year=made[0].year)
    drawn = draw_spot_check(spot_check=check, by=staff(world))
    assert 0 <= drawn.seed < services.SEED_LIMIT
    assert check_draw(drawn) is True


def test_a_changed_frame_is_detected(world):
    check = drawn_check(world, titles=4, size=2)
    frame = list(check.frame)
    frame[0] = {**frame[0], "weight": 9.0}
    SpotCheck.objects.filter(pk=check.pk).update(frame=frame)
    check.refresh_from_db()
    assert check_draw(check) is False


def test_a_changed_item_is_detected(world):
    check = drawn_check(world, titles=4, size=2)
    drawn_titles = set(check.items.values_list("title_id", flat=True))
    outsider = next(m for m in check.frame if m["title"] not in drawn_titles)
    check.items.filter(position=1).update(
        organisation_id=outsider["organisation"], title_id=outsider["title"]
    )
    assert check_draw(check) is False


def test_a_check_is_drawn_once(world):
    check = drawn_check(world, titles=2, size=1)
    with pytest.raises(ValidationError, match="抽取只进行一次"):
        draw_spot_check(spot_check=check, by=staff(world), seed=1)
    assert check.items.count() == 1
    assert ActivityLog.objects.filter(action="spotcheck.draw").count() == 1


def test_an_empty_population_is_not_drawn(world):
    check = planned_check(world, size=3, year=1999 + 100)
    with pytest.raises(ValidationError, match="没有符合条件的对象"):
        draw_spot_check(spot_check=check, by=staff(world), seed=1)
    check.refresh_from_db()
    assert check.status == SpotCheckStatus.PLANNED
    assert check.seed is None


def test_a_size_above_the_population_draws_everyone(world):
    made = titles(world, 3)
    check = drawn_check(world, titles=made, size=10)
    assert sorted(check.items.values_list("title_id", flat=True)) == sorted(t.pk for t in made)
    assert check_draw(check) is True


def test_an_organisation_holding_two_titles_is_drawn_once(world):
    campaign = past_campaign()
    first = granted_title(world, "product", campaign=campaign)
    second = granted_title(world, "service", organisation=first.organisation, campaign=campaign)
    check = drawn_check(world, titles=[first, second], size=2)
    assert check.population_size == 2
    assert check.items.count() == 1
    assert services.organisations_in_frame(check) == 1


def test_committee_staff_cannot_draw(world):
    made = titles(world, 1)
    check = planned_check(world, size=1, year=made[0].year)
    with pytest.raises(PermissionDenied):
        draw_spot_check(spot_check=check, by=world.users[Role.COMMITTEE_STAFF])


# ------------------------------------------------------------------------------------------
# Record


def test_a_rectification_needs_a_deadline_in_the_future(world):
    item = drawn_check(world, titles=1).items.get()
    with pytest.raises(ValidationError) as refused:
        record(world, item, "rectify")
    assert "rectify_by" in refused.value.error_dict
    with pytest.raises(ValidationError):
        record(world, item, "rectify", rectify_by=timezone.localdate())
    item.refresh_from_db()
    assert item.result == CheckResult.PENDING
    assert not ActivityLog.objects.filter(action="spotcheck.record").exists()


def test_findings_and_a_result_are_needed(world):
    item = drawn_check(world, titles=1).items.get()
    with pytest.raises(ValidationError) as refused:
        record_item(item=item, by=staff(world), result="pending", findings=" ")
    assert set(refused.value.error_dict) == {"result", "findings"}


def test_a_forged_file_is_refused_and_nothing_is_stored(world):
    item = drawn_check(world, titles=1).items.get()
    with pytest.raises(ValidationError) as refused:
        record(world, item, uploads=[pdf_upload("现场照片.pdf"), forged_upload("整改报告.pdf")])
    assert "evidence" in refused.value.error_dict
    assert "整改报告.pdf" in refused.value.messages[0]
    item.refresh_from_db()
    assert item.result == CheckResult.PENDING
    assert not Evidence.objects.exists()
    assert stored_files() == []


def test_recording_stores_result_findings_and_every_file(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "pass", uploads=[pdf_upload("现场记录.pdf"), pdf_upload("照片.pdf")])
    item.refresh_from_db()
    assert item.result == CheckResult.PASS
    assert item.findings == "现场核查称号使用情况，符合要求。"
    assert item.recorded_by == staff(world)
    assert sorted(item.evidence.values_list("name", flat=True)) == ["照片.pdf", "现场记录.pdf"]
    assert len(stored_files()) == 2
    entry = ActivityLog.objects.get(action="spotcheck.record")
    assert entry.before["result"] == "pending"
    assert entry.after["result"] == "pass"
    assert ActivityLog.objects.filter(action="supervision.evidence").count() == 2
    assert not OutboxMessage.objects.filter(template="supervision/spotcheck_result").exists()


@pytest.mark.parametrize("result", ["rectify", "fail"])
def test_the_organisation_is_told_of_a_rectification_or_a_failure(world, result):
    title = granted_title(world, "product", organisation=world.enterprise, campaign=past_campaign())
    item = drawn_check(world, titles=[title]).items.get()
    deadline = later() if result == "rectify" else None
    record(world, item, result, findings="宣传材料未标明获评年份。", rectify_by=deadline)
    mails = OutboxMessage.objects.filter(template="supervision/spotcheck_result")
    assert set(mails.values_list("to", flat=True)) == {
        world.users[Role.ENTERPRISE_USER].email,
        world.colleague.email,
    }
    mail = mails.first()
    assert mail.subject.startswith("【满意】")
    assert "宣传材料未标明获评年份。" in mail.body_text
    item.refresh_from_db()
    assert item.rectify_by == deadline


def test_a_pass_clears_a_deadline_and_a_new_deadline_is_reminded_again(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "rectify", rectify_by=later(10))
    type(item).objects.filter(pk=item.pk).update(reminded_at=timezone.now())
    record(world, item, "rectify", rectify_by=later(20))
    item.refresh_from_db()
    assert item.reminded_at is None
    record(world, item, "pass")
    item.refresh_from_db()
    assert item.rectify_by is None


def test_committee_staff_cannot_record(world):
    item = drawn_check(world, titles=1).items.get()
    with pytest.raises(PermissionDenied):
        record_item(item=item, by=world.users[Role.COMMITTEE_STAFF], result="pass", findings="合格")


def test_nothing_is_recorded_on_a_closed_check(world):
    check = drawn_check(world, titles=1)
    item = check.items.get()
    record(world, item)
    close_spot_check(spot_check=check, by=staff(world))
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="不能再记录"):
        record(world, item, "fail")


# ------------------------------------------------------------------------------------------
# Rectification


def test_a_rectification_is_confirmed_with_a_note(world):
    title = granted_title(world, "product", organisation=world.enterprise, campaign=past_campaign())
    item = drawn_check(world, titles=[title]).items.get()
    record(world, item, "rectify", rectify_by=later())
    with pytest.raises(ValidationError):
        confirm_rectified(item=item, by=staff(world), note="")
    confirm_rectified(item=item, by=staff(world), note="已重新印制宣传册并标明年份。")
    item.refresh_from_db()
    assert item.rectified_at is not None
    assert item.rectification_note == "已重新印制宣传册并标明年份。"
    assert ActivityLog.objects.filter(action="spotcheck.rectified").exists()
    assert OutboxMessage.objects.filter(template="supervision/spotcheck_rectified").count() == 2
    with pytest.raises(ValidationError):
        confirm_rectified(item=item, by=staff(world), note="再次确认")
    # A confirmed rectification fixes the result.
    with pytest.raises(ValidationError, match="已确认整改"):
        record(world, item, "fail")


def test_only_a_rectification_is_confirmed(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "pass")
    with pytest.raises(ValidationError, match="不是限期整改"):
        confirm_rectified(item=item, by=staff(world), note="无")


# ------------------------------------------------------------------------------------------
# Revocation


def test_a_failed_title_holder_opens_a_revocation(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "fail", findings="称号对象已停产，仍在宣传中使用称号。")
    item.refresh_from_db()
    case = propose_revocation(item=item, by=staff(world))
    assert case.title == item.title
    assert case.reason == RevocationReason.FAILED_SPOT_CHECK
    assert case.spot_check_item == item
    assert case.opened_by == staff(world)
    assert "称号对象已停产" in case.facts
    assert ActivityLog.objects.filter(action="revocation.open").exists()
    # The result is fixed once a case was opened from it; a second case is refused.
    with pytest.raises(ValidationError):
        record(world, item, "pass")
    with pytest.raises(ValidationError, match="正在处理的撤销案件"):
        propose_revocation(item=item, by=staff(world))
    assert Revocation.objects.count() == 1


def test_only_a_failure_may_open_a_revocation(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "rectify", rectify_by=later())
    with pytest.raises(ValidationError, match="不合格"):
        propose_revocation(item=item, by=staff(world))
    assert not Revocation.objects.exists()


def test_a_title_no_longer_valid_is_not_revoked_again(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "fail")
    item.title.status = TitleStatus.EXPIRED
    item.title.save(update_fields=["status"])
    item.refresh_from_db()
    with pytest.raises(ValidationError, match="没有有效的称号"):
        propose_revocation(item=item, by=staff(world))


def test_the_facts_may_be_written_by_staff(world):
    item = drawn_check(world, titles=1).items.get()
    record(world, item, "fail")
    item.refresh_from_db()
    case = propose_revocation(item=item, by=staff(world), facts="另查明伪造用户满意度调查报告。")
    assert case.facts == "另查明伪造用户满意度调查报告。"


# ------------------------------------------------------------------------------------------
# Close


def test_a_check_closes_when_every_item_has_a_result(world):
    check = drawn_check(world, titles=2, size=2)
    first, second = check.items.order_by("position")
    record(world, first, "pass")
    with pytest.raises(ValidationError, match="全部记录后"):
        close_spot_check(spot_check=check, by=staff(world))
    record(world, second, "rectify", rectify_by=later())
    closed = close_spot_check(spot_check=check, by=staff(world))
    assert closed.status == SpotCheckStatus.CLOSED
    assert closed.closed_at is not None
    entry = ActivityLog.objects.get(action="spotcheck.close")
    assert entry.after["results"] == {"pass": 1, "rectify": 1, "fail": 0}
    # The rectification is still followed after closing.
    second.refresh_from_db()
    confirm_rectified(item=second, by=staff(world), note="已整改")
    with pytest.raises(ValidationError):
        close_spot_check(spot_check=closed, by=staff(world))
