"""The annual plan through its services: creating, publishing and withdrawing a plan; adding,
changing, deleting activities; recording them held or cancelled — each checked and logged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.programme.models import ActivityStatus, AnnualPlan, PlannedActivity, PlanStatus
from manyi.programme.plans import activities, services
from tests.programme.factories import add_activity, keeper, make_article, make_plan

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def test_a_plan_is_created_as_a_draft_and_logged(world):
    plan = services.create_plan(
        by=keeper(world), year=2030, theme=" 质量提升 ", summary="概要", theme_en="Quality"
    )
    assert plan.status == PlanStatus.DRAFT
    assert plan.theme == "质量提升"
    entry = ActivityLog.objects.get(action="plan.create")
    assert entry.after["year"] == 2030
    assert entry.after["theme_en"] == "Quality"


def test_one_plan_a_year(world):
    make_plan(world, 2030, published=False, activities=0)
    with pytest.raises(ValidationError) as refused:
        services.create_plan(by=keeper(world), year=2030, theme="另一个", summary="概要")
    assert "2030 年度的工作计划已经存在" in refused.value.message_dict["year"][0]
    assert AnnualPlan.objects.count() == 1


@pytest.mark.parametrize("role", [Role.WORKDEPT_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER])
def test_only_the_keepers_plan(world, role):
    with pytest.raises(PermissionDenied):
        services.create_plan(by=world.users[role], year=2030, theme="主题", summary="概要")


def test_publishing_needs_an_activity_and_is_logged(world):
    plan = make_plan(world, 2030, published=False, activities=0)
    with pytest.raises(ValidationError, match="至少一项计划活动"):
        services.publish_plan(plan=plan, by=keeper(world))
    add_activity(world, plan)

    services.publish_plan(plan=plan, by=keeper(world))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert plan.published_at is not None
    services.unpublish_plan(plan=plan, by=keeper(world), reason="主题调整")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    moves = list(
        ActivityLog.objects.filter(action__in=["plan.publish", "plan.unpublish"])
        .order_by("pk")
        .values_list("action", "note")
    )
    assert moves == [("plan.publish", ""), ("plan.unpublish", "主题调整")]


def test_an_update_logs_only_what_changed(world):
    plan = make_plan(world, 2030, published=False, activities=0)
    services.update_plan(plan=plan, by=keeper(world), theme="新主题", summary=plan.summary)
    entry = ActivityLog.objects.get(action="plan.update")
    assert entry.before == {"theme": "以用户为中心，推动质量提升"}
    assert entry.after == {"theme": "新主题"}
    services.update_plan(plan=plan, by=keeper(world), theme="新主题", summary=plan.summary)
    assert ActivityLog.objects.filter(action="plan.update").count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"title": ""}, "title", "请填写活动名称"),
        ({"starts_on": dt.date(2029, 12, 1)}, "starts_on", "2030 年内"),
        ({"ends_on": dt.date(2030, 2, 1)}, "ends_on", "不能早于开始日期"),
        ({"responsible": ""}, "responsible", "请选择负责单位"),
        ({"kind": "party"}, "kind", "请选择活动类型"),
    ],
)
def test_bad_activities_are_refused(world, fields, field, words):
    plan = make_plan(world, 2030, published=False, activities=0)
    values = {
        "kind": "exchange",
        "title": "交流会",
        "starts_on": dt.date(2030, 3, 1),
        "ends_on": dt.date(2030, 3, 2),
        "responsible": "协会",
        **fields,
    }
    with pytest.raises(ValidationError) as refused:
        activities.add_activity(plan=plan, by=keeper(world), **values)
    assert words in refused.value.message_dict[field][0]
    assert PlannedActivity.objects.count() == 0


def test_an_enterprise_is_not_a_responsible_body(world):
    plan = make_plan(world, 2030, published=False, activities=0)
    with pytest.raises(ValidationError) as refused:
        add_activity(world, plan, responsible="", responsible_organisation=world.enterprise)
    assert "推进机构" in refused.value.message_dict["responsible_organisation"][0]
    activity = add_activity(world, plan, responsible="", responsible_organisation=world.agency)
    assert activity.responsible_organisation == world.agency


def test_recording_an_activity_held_with_its_link(world):
    plan = make_plan(world, LAST_YEAR, activities=0, published=False)
    activity = add_activity(world, plan)
    activities.record_held(
        activity=activity,
        by=keeper(world),
        held_on=dt.date(LAST_YEAR, 3, 10),
        outcome="120 人参加",
        outcome_url="/news/12/",
    )
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD
    assert activity.held_on == dt.date(LAST_YEAR, 3, 10)
    assert activity.outcome_url == "/news/12/"
    entry = ActivityLog.objects.get(action="plan.activity_held")
    assert entry.before["status"] == "planned"
    assert entry.after["outcome"] == "120 人参加"
    # Recording again corrects the record.
    activities.record_held(
        activity=activity,
        by=keeper(world),
        held_on=dt.date(LAST_YEAR, 3, 11),
        outcome="130 人参加",
        outcome_url="https://www.example.com/report",
    )
    activity.refresh_from_db()
    assert activity.outcome == "130 人参加"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
        "/\\evil.example",
        "ftp://example.com/x",
        "news/12/",
        "https:///nohost",
        "/news/ 12/",
    ],
)
def test_a_link_that_is_not_ours_or_http_is_refused(world, url):
    plan = make_plan(world, LAST_YEAR, activities=0, published=False)
    activity = add_activity(world, plan)
    with pytest.raises(ValidationError) as refused:
        activities.record_held(
            activity=activity,
            by=keeper(world),
            held_on=dt.date(LAST_YEAR, 3, 10),
            outcome="举办",
            outcome_url=url,
        )
    assert "outcome_url" in refused.value.message_dict
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PLANNED


def test_a_future_date_or_no_outcome_is_refused(world):
    plan = make_plan(world, activities=0, published=False)
    activity = add_activity(world, plan, month=1, day=1)
    with pytest.raises(ValidationError) as refused:
        activities.record_held(
            activity=activity,
            by=keeper(world),
            held_on=timezone.localdate() + dt.timedelta(days=1),
            outcome=" ",
        )
    assert set(refused.value.message_dict) == {"held_on", "outcome"}


def test_cancelling_then_nothing_more(world):
    plan = make_plan(world, 2030, activities=0, published=False)
    activity = add_activity(world, plan)
    with pytest.raises(ValidationError):
        activities.cancel_activity(activity=activity, by=keeper(world), reason="")
    activities.cancel_activity(activity=activity, by=keeper(world), reason="与年会合并")
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.CANCELLED
    assert activity.outcome == "与年会合并"
    assert ActivityLog.objects.get(action="plan.activity_cancel").note == "与年会合并"
    with pytest.raises(ValidationError, match="已取消"):
        activities.record_held(
            activity=activity, by=keeper(world), held_on=dt.date(2026, 1, 1), outcome="x"
        )
    with pytest.raises(ValidationError, match="已取消"):
        activities.update_activity(
            activity=activity,
            by=keeper(world),
            kind="exchange",
            title="改名",
            starts_on=activity.starts_on,
            ends_on=activity.ends_on,
            responsible="协会",
        )


def test_deleting_an_activity_something_refers_to_is_refused(world):
    plan = make_plan(world, 2030, activities=0, published=False)
    free = add_activity(world, plan, title="无关联")
    linked = add_activity(world, plan, title="有文章")
    make_article(world, planned_activity=linked)

    with pytest.raises(ValidationError, match="不能删除"):
        activities.delete_activity(activity=linked, by=keeper(world))
    activities.delete_activity(activity=free, by=keeper(world))

    assert list(plan.activities.values_list("title", flat=True)) == ["有文章"]
    entry = ActivityLog.objects.get(action="plan.activity_delete")
    assert entry.object_id == str(plan.pk)
    assert entry.before["title"] == "无关联"


def test_an_activity_update_logs_what_changed(world):
    plan = make_plan(world, 2030, activities=0, published=False)
    activity = add_activity(world, plan, title="旧名")
    activities.update_activity(
        activity=activity,
        by=keeper(world),
        kind=activity.kind,
        title="新名",
        title_en="New",
        starts_on=activity.starts_on,
        ends_on=activity.ends_on,
        responsible=activity.responsible,
    )
    entry = ActivityLog.objects.get(action="plan.activity_update")
    assert entry.before == {"title": "旧名", "title_en": ""}
    assert entry.after == {"title": "新名", "title_en": "New"}
