"""The training pages: what each role finds on the list, a class's page (names; mobiles
masked except to the organiser), the forms through HTTP, and 404 for another's objects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training.models import Enrolment, TrainingClass
from tests.training.factories import class_data, enrolled, make_class, make_employee, started

pytestmark = pytest.mark.django_db


def page_of(response) -> str:
    return response.content.decode()


def test_each_role_finds_the_classes_it_should(world, client_for):
    agency_class = make_class(world, title="天河区培训班")
    other_agency_class = make_class(
        world, by=world.other_agency_staff, organiser=world.other_agency, title="建筑业培训班"
    )
    internal = make_class(
        world, by=world.users[Role.ENTERPRISE_USER], organiser=world.enterprise, title="本厂内训"
    )
    foreign_internal = make_class(
        world, by=world.outsider, organiser=world.other_enterprise, title="别家内训"
    )
    del agency_class, other_agency_class, internal, foreign_internal

    agency = page_of(client_for(Role.AGENCY_STAFF).get("/training/"))
    assert "天河区培训班" in agency
    assert "建筑业培训班" not in agency
    assert "本厂内训" not in agency

    enterprise = page_of(client_for(Role.ENTERPRISE_USER).get("/training/"))
    assert "天河区培训班" in enterprise
    assert "建筑业培训班" in enterprise
    assert "本厂内训" in enterprise
    assert "别家内训" not in enterprise

    staff = page_of(client_for(Role.WORKDEPT_STAFF).get("/training/"))
    assert "别家内训" in staff
    assert "安排培训班" not in staff


def test_the_list_filters_by_the_url(world, client_for):
    make_class(world, title="用户满意理论班", topic="satisfaction_theory")
    make_class(world, title="统计工具班", topic="statistics", teachers="何博士")
    closed = make_class(world, title="已截止的班")
    TrainingClass.objects.filter(pk=closed.pk).update(status="closed")
    client = client_for(Role.ENTERPRISE_USER)

    assert "统计工具班" not in page_of(client.get("/training/?topic=satisfaction_theory"))
    found = page_of(client.get("/training/?q=何博士"))
    assert "统计工具班" in found
    assert "用户满意理论班" not in found
    enrollable = page_of(client.get("/training/?scope=enrollable"))
    assert "已截止的班" not in enrollable
    assert "统计工具班" in enrollable
    assert "已截止的班" in page_of(client.get("/training/?status=closed"))
    tomorrow = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    assert "统计工具班" not in page_of(client.get(f"/training/?date_from={tomorrow}"))


@pytest.mark.parametrize("role", [Role.ENTERPRISE_USER, Role.AGENCY_STAFF])
def test_the_list_does_not_grow_queries(world, client_for, role, django_assert_max_num_queries):
    client = client_for(role)
    make_class(world, title="第一个班")
    with django_assert_max_num_queries(40) as one:
        client.get("/training/")
    for n in (2, 3):
        enrolled(world, make_class(world, title=f"第{n}个班"), names=(f"学员{n}",))
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get("/training/")


def test_agency_staff_schedule_through_the_form(world, client_for):
    starts = timezone.localtime() + dt.timedelta(days=7)
    response = client_for(Role.AGENCY_STAFF).post(
        "/training/classes/new/",
        {
            "topic": "measurement",
            "title": "满意度测量方法班",
            "teachers": "何博士",
            "description": "",
            "starts_at": starts.strftime("%Y-%m-%dT09:00"),
            "ends_at": starts.strftime("%Y-%m-%dT17:00"),
            "hours": "8",
            "place": "协会会议室",
            "capacity": "40",
            "enrol_closes_at": "",
            "pass_score": "",
            "planned_activity": "",
        },
    )
    training_class = TrainingClass.objects.get()
    assert response["Location"] == f"/training/classes/{training_class.pk}/"
    assert training_class.organiser == world.agency
    assert training_class.pass_score == Decimal("60")


def test_a_bad_schedule_is_shown_again_with_the_reasons(world, client_for):
    data = class_data()
    response = client_for(Role.AGENCY_STAFF).post(
        "/training/classes/new/",
        {
            "topic": "measurement",
            "title": "",
            "teachers": "何博士",
            "starts_at": data["starts_at"].strftime("%Y-%m-%dT%H:%M"),
            "ends_at": data["starts_at"].strftime("%Y-%m-%dT%H:%M"),
            "hours": "300",
            "place": "会议室",
            "capacity": "10",
        },
    )
    page = page_of(response)
    assert response.status_code == 200
    assert "结束时间应晚于开始时间" in page
    assert "学时应在 0.5 到 200 之间" in page
    assert not TrainingClass.objects.exists()


def test_the_class_page_masks_mobiles_except_for_the_organiser(world, client_for):
    training_class = make_class(world)
    employee = make_employee(world, "李明", mobile="13812345678")
    from manyi.training import enrolling

    enrolling.enrol(
        by=world.users[Role.ENTERPRISE_USER], training_class=training_class, employees=[employee]
    )
    enrolled(world, training_class, names=("赵强",), organisation=world.other_enterprise)
    url = f"/training/classes/{training_class.pk}/"

    organiser = page_of(client_for(Role.AGENCY_STAFF).get(url))
    assert "13812345678" in organiser
    assert "赵强" in organiser
    staff = page_of(client_for(Role.COMMITTEE_STAFF).get(url))
    assert "13812345678" not in staff
    assert "138****5678" in staff
    enterprise = page_of(client_for(Role.ENTERPRISE_USER).get(url))
    assert "李明" in enterprise
    # Another organisation's people are not shown to an enterprise.
    assert "赵强" not in enterprise


def test_another_organisers_class_or_internal_class_is_not_found(world, client_for):
    theirs = make_class(world, by=world.other_agency_staff, organiser=world.other_agency)
    internal = make_class(world, by=world.outsider, organiser=world.other_enterprise)
    assert client_for(Role.AGENCY_STAFF).get(f"/training/classes/{theirs.pk}/").status_code == 404
    enterprise = client_for(Role.ENTERPRISE_USER)
    assert enterprise.get(f"/training/classes/{internal.pk}/").status_code == 404
    assert enterprise.post(f"/training/classes/{internal.pk}/enrol/", {}).status_code == 404
    assert (
        client_for(Role.AGENCY_STAFF).get(f"/training/classes/{theirs.pk}/results/").status_code
        == 404
    )


def test_enrolling_through_the_page_and_a_full_class_says_so(world, client_for):
    training_class = make_class(world, capacity=2)
    first = make_employee(world, "李明")
    second = make_employee(world, "王芳")
    client = client_for(Role.ENTERPRISE_USER)
    url = f"/training/classes/{training_class.pk}/"
    page = page_of(client.get(url))
    assert "为本单位职工报名" in page

    response = client.post(url + "enrol/", {"employees": [first.pk, second.pk]}, follow=True)
    assert "已为 2 名职工报名" in page_of(response)
    assert Enrolment.objects.count() == 2
    page = page_of(client.get(url))
    assert "名额已满，不能再报名。" in page
    assert "为本单位职工报名" not in page

    response = client.post(url + "enrol-new/", {"new-name": "孙丽"}, follow=True)
    assert "名额已满" in page_of(response)
    assert Enrolment.objects.count() == 2


def test_withdrawing_through_the_page(world, client_for):
    training_class = make_class(world)
    enrolment = enrolled(world, training_class, names=("李明",))[0]
    client = client_for(Role.ENTERPRISE_USER)
    response = client.post(
        f"/training/classes/{training_class.pk}/enrolments/{enrolment.pk}/withdraw/", follow=True
    )
    assert "已取消 李明 的报名" in page_of(response)
    assert not Enrolment.objects.exists()
    # Another enterprise cannot reach the enrolment.
    other = enrolled(world, training_class, names=("王芳",))[0]
    outsider = client_for(world.outsider)
    url = f"/training/classes/{training_class.pk}/enrolments/{other.pk}/withdraw/"
    assert outsider.post(url).status_code == 404


def test_the_results_form_saves_all_or_nothing(world, client_for):
    training_class = make_class(world)
    li, wang = enrolled(world, training_class)
    started(training_class)
    client = client_for(Role.AGENCY_STAFF)
    url = f"/training/classes/{training_class.pk}/results/"
    page = page_of(client.get(url))
    assert "李明" in page

    response = client.post(
        url,
        {
            f"attended-{li.pk}": "yes",
            f"score-{li.pk}": "88",
            f"attended-{wang.pk}": "no",
            f"score-{wang.pk}": "70",
        },
    )
    assert response.status_code == 200
    assert "王芳：未出勤的学员不能登记成绩" in page_of(response)
    li.refresh_from_db()
    assert li.score is None

    response = client.post(
        url,
        {
            f"attended-{li.pk}": "yes",
            f"score-{li.pk}": "88",
            f"attended-{wang.pk}": "no",
            f"score-{wang.pk}": "",
        },
        follow=True,
    )
    assert "已保存出勤和成绩（2 人有变化）" in page_of(response)
    li.refresh_from_db()
    assert li.score == Decimal("88")


def test_the_employee_file_page_and_404_for_another_organisations_person(world, client_for):
    training_class = make_class(world, title="用户满意理论培训班", hours=Decimal("12"))
    li = enrolled(world, training_class, names=("李明",))[0]
    started(training_class)
    from manyi.training.results import Result, record_results

    record_results(
        by=world.users[Role.AGENCY_STAFF],
        training_class=training_class,
        rows=[Result(li.pk, True, Decimal("91"))],
    )
    url = f"/training/employees/{li.employee_id}/"
    page = page_of(client_for(Role.ENTERPRISE_USER).get(url))
    assert "用户满意理论培训班" in page
    assert 'data-outcome="pass"' in page
    assert "91" in page
    assert client_for(world.outsider).get(url).status_code == 404
    # Not a confirmed member: the agency does not find it.
    assert client_for(Role.AGENCY_STAFF).get(url).status_code == 404


def test_pdf_and_excel_downloads_are_logged(world, client_for):
    employee = make_employee(world, "李明")
    client = client_for(Role.ENTERPRISE_USER)
    response = client.get(f"/training/employees/{employee.pk}/file.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = client.get("/training/employees/export.xlsx")
    assert response.content.startswith(b"PK")
    assert ActivityLog.objects.filter(action="training.file_pdf").count() == 1
    assert ActivityLog.objects.filter(action="training.files_export").count() == 1


def test_import_page_lists_the_problems(world, client_for, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.xlsx_factory import write_workbook

    path = write_workbook(
        tmp_path / "l.xlsx",
        [["李明", "A1"], ["", "A2"]],
        title=None,
        headers=["姓名", "工号", "部门", "岗位", "手机"],
    )
    client = client_for(Role.ENTERPRISE_USER)
    response = client.post(
        "/training/employees/import/",
        {"file": SimpleUploadedFile("l.xlsx", path.read_bytes())},
    )
    assert "第 3 行：请填写姓名" in page_of(response)
    assert not world.enterprise.employees_on_file.exists()


def test_the_employee_list_is_paginated_and_searchable(world, client_for):
    from manyi.training.models import Employee

    Employee.objects.bulk_create(
        Employee(organisation=world.enterprise, name=f"职工{i:03d}", department="生产部")
        for i in range(55)
    )
    make_employee(world, "特别的人", department="客服部")
    client = client_for(Role.ENTERPRISE_USER)
    page = page_of(client.get("/training/employees/"))
    assert "共 56 条" in page
    assert "第 1 / 2 页" in page
    found = page_of(client.get("/training/employees/?q=客服"))
    assert "特别的人" in found
    assert "职工001" not in found


@pytest.mark.parametrize("url", ["/training/employees/", "/training/plans/"])
def test_the_file_lists_do_not_grow_queries(world, client_for, url, django_assert_max_num_queries):
    from manyi.training import plans

    client = client_for(Role.ENTERPRISE_USER)
    make_employee(world, "第一人")
    user = world.users[Role.ENTERPRISE_USER]

    def plan_for(year):
        item = {
            "topic": "tqm",
            "title": "全面质量管理",
            "month": 3,
            "audience": "全体",
            "people": 5,
            "hours": Decimal("4"),
        }
        plans.save_plan(
            by=user, organisation=world.enterprise, year=year, aims="目标", items=[item]
        )

    plan_for(2025)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n, year in ((2, 2026), (3, 2027)):
        enrolled(world, make_class(world, title=f"第{n}个班"), names=(f"学员{n}",))
        plan_for(year)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(url)


def test_an_agency_reads_its_confirmed_members_files_masked_and_read_only(world, client_for):
    from manyi.accounts.models import AgencyMembership

    make_employee(world, "李明", mobile="13812345678")
    AgencyMembership.objects.filter(enterprise=world.enterprise, agency=world.agency).update(
        confirmed_at=timezone.now()
    )
    page = page_of(client_for(Role.AGENCY_STAFF).get("/training/employees/"))
    assert "李明" in page
    assert "138****5678" in page
    assert "13812345678" not in page
    assert "新增职工" not in page
    assert "导出全部档案" not in page
    assert "赵强" not in page_of(client_for(world.other_agency_staff).get("/training/employees/"))
