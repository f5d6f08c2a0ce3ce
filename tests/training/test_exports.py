"""An employee's file as a PDF (its text read back with pdftotext) and all files as Excel
(two sheets read back with openpyxl); both logged; refused to those who may not read."""

import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from openpyxl import load_workbook

from manyi.accounts.models import AgencyMembership, User
from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training import exports
from manyi.training.results import Result, record_results
from tests.training.factories import enrolled, make_class, make_employee, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(world):
    """李明 passed 用户满意理论 (8 hours, 86.5); 王芳 failed it (52); 赵强 never enrolled; 李明
    is also enrolled in an upcoming class."""
    theory = make_class(world, title="用户满意理论培训班")
    li, wang = enrolled(world, theory, names=("李明", "王芳"))
    started(theory, days_ago=3)
    record_results(
        by=world.users[Role.AGENCY_STAFF],
        training_class=theory,
        rows=[Result(li.pk, True, Decimal("86.5")), Result(wang.pk, True, Decimal("52"))],
    )
    upcoming = make_class(
        world, title="满意度测量方法培训班", topic="measurement", hours=Decimal("4")
    )
    from manyi.training import enrolling

    enrolling.enrol(
        by=world.users[Role.ENTERPRISE_USER], training_class=upcoming, employees=[li.employee]
    )
    make_employee(world, "赵强", employee_no="=cmd|' /C calc'!A0")
    return li.employee, wang.employee


def pdf_text(content: bytes, tmp_path) -> str:
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed"
    path = tmp_path / "file.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    # A long name may wrap inside its cell: compare without the line breaks.
    return "".join(text.split())


def test_the_pdf_holds_the_organisation_the_classes_and_the_totals(world, files, tmp_path):
    li, _wang = files
    content = exports.file_pdf(by=world.users[Role.ENTERPRISE_USER], employee=li)

    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert "职工技术档案" in text
    assert "珠江家电有限公司" in text
    assert "李明" in text
    assert "用户满意理论培训班" in text
    assert "满意度测量方法培训班" in text
    assert "86.5" in text
    assert "合格" in text
    assert "待登记" in text
    assert f"{timezone.localdate().year}" in text
    entry = ActivityLog.objects.get(action="training.file_pdf")
    assert entry.object_id == str(li.pk)
    assert entry.organisation == world.enterprise


def test_the_pdf_says_who_failed(world, files, tmp_path):
    _li, wang = files
    text = pdf_text(exports.file_pdf(by=world.colleague, employee=wang), tmp_path)
    assert "不合格" in text
    assert "52" in text


def test_the_pdf_is_refused_to_those_who_may_not_read_the_file(world, files):
    li, _wang = files
    for someone in (world.outsider, world.other_agency_staff, world.users[Role.AGENCY_STAFF]):
        with pytest.raises(PermissionDenied):
            exports.file_pdf(by=someone, employee=li)
    # The agency reads once the enterprise is its confirmed member.
    AgencyMembership.objects.filter(enterprise=world.enterprise, agency=world.agency).update(
        confirmed_at=timezone.now()
    )
    # A new request: the user's memberships are read afresh.
    staff = User.objects.get(pk=world.users[Role.AGENCY_STAFF].pk)
    assert exports.file_pdf(by=staff, employee=li).startswith(b"%PDF")
    assert not ActivityLog.objects.filter(action="training.file_pdf", actor=world.outsider)


def test_the_workbook_has_the_employees_with_totals_and_every_record(world, files):
    content = exports.export_files(
        by=world.users[Role.ENTERPRISE_USER], organisation=world.enterprise
    )

    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["职工", "培训记录"]
    people = [list(r) for r in workbook["职工"].iter_rows(values_only=True)]
    assert people[0][:2] == ["姓名", "工号"]
    by_name = {row[0]: row for row in people[1:]}
    assert set(by_name) == {"李明", "王芳", "赵强"}
    assert by_name["李明"][5:] == [2, 1, 1, 8, 8]
    assert by_name["王芳"][5:] == [1, 1, 0, 8, 0]
    # Text that Excel would run as a formula stays text.
    zhao_cell = workbook["职工"].cell(row=[r[0] for r in people].index("赵强") + 1, column=2)
    assert zhao_cell.value == "=cmd|' /C calc'!A0"
    assert zhao_cell.data_type == "s"
    records = [list(r) for r in workbook["培训记录"].iter_rows(values_only=True)]
    assert records[0][2] == "培训班"
    rows = {(r[0], r[2]): r for r in records[1:]}
    assert rows[("李明", "用户满意理论培训班")][7:] == [8, "出勤", 86.5, "合格"]
    assert rows[("王芳", "用户满意理论培训班")][-1] == "不合格"
    assert rows[("李明", "满意度测量方法培训班")][-1] == "待登记"
    entry = ActivityLog.objects.get(action="training.files_export")
    assert entry.after == {"employees": 3}


def test_only_the_organisations_users_export(world, files):
    for someone in (
        world.outsider,
        world.users[Role.AGENCY_STAFF],
        world.users[Role.COMMITTEE_STAFF],
    ):
        with pytest.raises(PermissionDenied):
            exports.export_files(by=someone, organisation=world.enterprise)
    assert not ActivityLog.objects.filter(action="training.files_export").exists()
