"""The yearly training plan (Art. 18): saved whole or refused whole, planned against done by
topic, read by its agency (confirmed members) and programme staff; the dashboard panels."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from manyi.accounts.models import AgencyMembership, User
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training import dashboard, plans, selectors
from manyi.training.models import TrainingPlan, TrainingPlanItem
from manyi.training.results import Result, record_results
from tests.training.factories import enrolled, make_class, started

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


def item(**overrides) -> dict:
    return {
        "topic": "satisfaction_theory",
        "title": "用户满意理论",
        "month": 5,
        "audience": "质量骨干",
        "people": 10,
        "hours": Decimal("8"),
    } | overrides


def save(world, items, *, aims="普及用户满意理论", by=None, year=YEAR):
    return plans.save_plan(
        by=by or world.users[Role.ENTERPRISE_USER],
        organisation=world.enterprise,
        year=year,
        aims=aims,
        items=items,
    )


def test_a_plan_is_saved_and_replaced_whole_and_logged(world):
    plan = save(
        world, [item(), item(topic="statistics", title="统计工具", people=5, hours=Decimal("4"))]
    )
    assert plan.items.count() == 2
    save(world, [item(people=20)], aims="新的目标")
    plan.refresh_from_db()
    assert plan.aims == "新的目标"
    assert list(plan.items.values_list("people", flat=True)) == [20]
    entries = ActivityLog.objects.filter(action="training.plan_save").order_by("pk")
    assert entries[0].before is None
    assert entries[1].before["items"] == 2
    assert entries[1].after["items"] == 1
    assert Decimal(entries[1].after["person_hours"]) == 160


def test_a_bad_plan_lists_every_problem_and_changes_nothing(world):
    save(world, [item()])
    with pytest.raises(ValidationError) as caught:
        save(world, [item(title=" "), item(month=13, people=0)], aims="")
    assert caught.value.messages == [
        "请填写培训目标",
        "第 1 项：请填写课程",
        "第 2 项：月份应在 1 到 12 之间",
        "第 2 项：计划人数应为正整数",
    ]
    assert TrainingPlanItem.objects.get().title == "用户满意理论"


def test_only_the_organisations_users_write_its_plan(world):
    for someone in (
        world.outsider,
        world.users[Role.AGENCY_STAFF],
        world.users[Role.ASSOCIATION_ADMIN],
    ):
        with pytest.raises(PermissionDenied):
            save(world, [item()], by=someone)
    assert not TrainingPlan.objects.exists()


def test_planned_against_done_by_topic(world):
    plan = save(
        world,
        [item(people=4, hours=Decimal("8")), item(topic="statistics", title="统计", people=2)],
    )
    training_class = make_class(world, hours=Decimal("8"))
    people = enrolled(world, training_class, names=("李明", "王芳", "赵强"))
    started(training_class)
    record_results(
        by=world.users[Role.AGENCY_STAFF],
        training_class=training_class,
        rows=[
            Result(people[0].pk, True, Decimal("90")),
            Result(people[1].pk, True, Decimal("70")),
            Result(people[2].pk, True, Decimal("40")),
        ],
    )

    rows = {r.topic: r for r in selectors.plan_progress(plan)}
    theory = rows["satisfaction_theory"]
    assert (theory.planned_people, theory.planned_person_hours) == (4, Decimal("32"))
    assert (theory.done_people, theory.done_person_hours) == (2, Decimal("16"))
    assert theory.percent == 50
    assert rows["statistics"].done_people == 0


def test_the_plan_pages(world, client_for):
    plan = save(world, [item()])
    client = client_for(Role.ENTERPRISE_USER)
    page = client.get(f"/training/plans/{plan.pk}/").content.decode()
    assert "普及用户满意理论" in page
    assert "修改计划" in page
    assert client_for(world.outsider).get(f"/training/plans/{plan.pk}/").status_code == 404
    assert client_for(Role.AGENCY_STAFF).get(f"/training/plans/{plan.pk}/").status_code == 404
    AgencyMembership.objects.filter(enterprise=world.enterprise).update(confirmed_at=timezone.now())
    agency = client_for(User.objects.get(pk=world.users[Role.AGENCY_STAFF].pk))
    page = agency.get(f"/training/plans/{plan.pk}/").content.decode()
    assert "普及用户满意理论" in page
    assert "修改计划" not in page


def test_editing_through_the_form_keeps_rows_deletes_ticked_and_adds_filled(world, client_for):
    plan = save(world, [item(title="甲"), item(title="乙")])
    client = client_for(Role.ENTERPRISE_USER)
    assert "甲" in client.get(f"/training/plans/{YEAR}/edit/").content.decode()
    data = {
        "aims": "目标",
        "items-TOTAL_FORMS": "5",
        "items-INITIAL_FORMS": "2",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "100",
    }
    for index, title in enumerate(["甲", "乙"]):
        data |= {
            f"items-{index}-topic": "satisfaction_theory",
            f"items-{index}-title": title,
            f"items-{index}-month": "5",
            f"items-{index}-audience": "质量骨干",
            f"items-{index}-people": "10",
            f"items-{index}-hours": "8",
        }
    data["items-1-DELETE"] = "on"
    data |= {
        "items-2-topic": "statistics",
        "items-2-title": "丙",
        "items-2-month": "9",
        "items-2-audience": "班组长",
        "items-2-people": "6",
        "items-2-hours": "4",
    }
    response = client.post(f"/training/plans/{YEAR}/edit/", data)
    assert response["Location"] == f"/training/plans/{plan.pk}/"
    assert list(plan.items.order_by("month").values_list("title", flat=True)) == ["甲", "丙"]


def test_dashboard_panels(world):
    make_class(world, title="可报名的班")
    training_class = make_class(world, title="待登记的班")
    enrolled(world, training_class, names=("李明",))
    started(training_class)

    enterprise = {p["title"]: p for p in dashboard.panels(world.users[Role.ENTERPRISE_USER])}
    assert enterprise["可报名的培训班"]["count"] == 1
    assert "可报名的班" in enterprise["可报名的培训班"]["items"][0]
    agency = {p["title"]: p for p in dashboard.panels(world.users[Role.AGENCY_STAFF])}
    assert agency["待登记成绩的培训班"]["count"] == 1
    assert "待登记的班" in agency["待登记成绩的培训班"]["items"][0]
    assert dashboard.panels(world.users[Role.EXPERT]) == []
