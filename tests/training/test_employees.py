"""The employee file: add, edit, leave and return; importing a list from Excel, all or
nothing, with row-numbered Chinese messages; hostile files refused with nothing stored."""

import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from manyi.accounts.roles import Role
from manyi.common.models import ActivityLog
from manyi.training import employees
from manyi.training.models import Employee
from tests.training.factories import make_employee
from tests.xlsx_factory import fake_cfb, raw_xlsx, sheet_xml, write_workbook, zip_bomb

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "工号", "部门", "岗位", "手机"]


def upload_of(path: Path, name: str = "职工名单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, path.read_bytes())


def import_file(world, path: Path, *, by=None):
    return employees.import_employees(
        by=by or world.users[Role.ENTERPRISE_USER],
        organisation=world.enterprise,
        upload=upload_of(path),
    )


def written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def nothing_kept() -> None:
    assert not Employee.objects.exists()
    assert not ActivityLog.objects.filter(action="training.employees_import").exists()


def test_adding_an_employee_is_logged_and_checked(world):
    employee = make_employee(world, "李明", employee_no="A001", mobile="１３８００１３８０００")
    assert employee.mobile == "13800138000"
    assert ActivityLog.objects.get(action="training.employee_create").after["name"] == "李明"

    with pytest.raises(ValidationError) as caught:
        make_employee(world, " ", employee_no="A001", mobile="12345")
    errors = caught.value.message_dict
    assert errors["name"] == ["请填写姓名"]
    assert errors["employee_no"] == ["本单位已有工号为 A001 的职工"]
    assert "请输入有效的电话号码" in errors["mobile"][0]
    # Another organisation may use the same 工号.
    assert make_employee(world, "赵强", organisation=world.other_enterprise, employee_no="A001")


def test_only_the_organisations_users_keep_its_file(world):
    for someone in (
        world.users[Role.AGENCY_STAFF],
        world.outsider,
        world.users[Role.COMMITTEE_STAFF],
    ):
        with pytest.raises(PermissionDenied):
            employees.add_employee(by=someone, organisation=world.enterprise, name="李明")
    assert not Employee.objects.exists()


def test_editing_logs_before_and_after(world):
    employee = make_employee(world, "李明", department="质量部")
    employees.update_employee(
        by=world.colleague, employee=employee, name="李明", department="客服部", mobile=""
    )
    entry = ActivityLog.objects.get(action="training.employee_update")
    assert entry.before == {"department": "质量部"}
    assert entry.after == {"department": "客服部"}
    with pytest.raises(PermissionDenied):
        employees.update_employee(by=world.outsider, employee=employee, name="改名")


def test_leaving_keeps_the_file_and_returning_reinstates(world):
    employee = make_employee(world)
    employees.employee_leaves(by=world.users[Role.ENTERPRISE_USER], employee=employee)
    employee.refresh_from_db()
    assert employee.is_active is False
    assert employee.left_on is not None
    with pytest.raises(ValidationError):
        employees.employee_leaves(by=world.users[Role.ENTERPRISE_USER], employee=employee)
    employees.employee_returns(by=world.users[Role.ENTERPRISE_USER], employee=employee)
    employee.refresh_from_db()
    assert employee.is_active is True
    assert employee.left_on is None
    notes = list(
        ActivityLog.objects.filter(action="training.employee_update")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == ["离职", "返岗"]


def test_a_good_list_is_imported_whole(world, tmp_path):
    path = write_workbook(
        tmp_path / "list.xlsx",
        [
            ["李明", "A001", "质量部", "质量工程师", "13800138000"],
            [],
            ["王芳", "A002", "客服部", "", 13900139000],
            ["赵强", "", "", "", ""],
        ],
        title="珠江家电职工名单",
        headers=HEADERS,
    )
    made = import_file(world, path)

    assert [e.name for e in made] == ["李明", "王芳", "赵强"]
    assert Employee.objects.get(name="王芳").mobile == "13900139000"
    entry = ActivityLog.objects.get(action="training.employees_import")
    assert entry.after["count"] == 3


def test_one_bad_row_imports_nothing_and_every_problem_names_its_row(world, tmp_path):
    make_employee(world, "老员工", employee_no="A009")
    path = write_workbook(
        tmp_path / "list.xlsx",
        [
            ["李明", "A001", "质量部", "", "13800138000"],
            ["", "A002", "客服部", "", ""],
            ["王芳", "A001", "", "", "1234"],
            ["赵强", "A009", "", "", ""],
            ["名" * 61, "", "", "", ""],
        ],
        title=None,
        headers=HEADERS,
    )
    with pytest.raises(ValidationError) as caught:
        import_file(world, path)
    assert caught.value.messages == [
        "第 3 行：请填写姓名",
        "第 4 行：手机号码“1234”格式不正确",
        "第 4 行：工号 A001 与第 2 行重复",
        "第 5 行：工号 A009 已在本单位职工名单中",
        "第 6 行：姓名不超过 60 个字",
    ]
    assert list(Employee.objects.values_list("name", flat=True)) == ["老员工"]
    assert not ActivityLog.objects.filter(action="training.employees_import").exists()


def test_a_list_without_the_header_or_without_people_is_refused(world, tmp_path):
    path = write_workbook(
        tmp_path / "a.xlsx", [["李明", "A001"]], title=None, headers=["名字", "编号"]
    )
    with pytest.raises(ValidationError) as caught:
        import_file(world, path)
    assert "没有找到表头“姓名”" in caught.value.messages[0]

    path = write_workbook(tmp_path / "b.xlsx", [], title=None, headers=HEADERS)
    with pytest.raises(ValidationError) as caught:
        import_file(world, path)
    assert caught.value.messages == ["文件中没有职工"]
    nothing_kept()


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: written(p, "姓名,手机\n李明,13800138000\n".encode()), "CSV 或文本文件"),
        (lambda p: written(p, b"%PDF-1.4 fake"), "PDF 文档"),
        (lambda p: fake_cfb(p, "Workbook"), "不接受旧版 .xls 格式"),
        (lambda p: fake_cfb(p, "EncryptionInfo", "EncryptedPackage"), "文件已加密"),
        (lambda p: zip_bomb(p, megabytes=60), "压缩炸弹"),
        (
            lambda p: raw_xlsx(p, sheet_xml(""), extra={"xl/vbaProject.bin": b"\x00" * 64}),
            "文件含有宏",
        ),
        (lambda p: written(p, b"PK\x03\x04 not really a zip"), "文件已损坏"),
    ],
)
def test_hostile_or_malformed_files_are_refused_and_nothing_is_stored(
    world, tmp_path, settings, make, expected
):
    path = make(tmp_path / "hostile.xlsx")
    with pytest.raises(ValidationError) as caught:
        import_file(world, path)
    assert expected in caught.value.messages[0]
    nothing_kept()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not any(media.rglob("*"))


def test_an_oversized_file_is_refused_before_it_is_read(world, tmp_path):
    path = tmp_path / "big.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("padding.bin", bytes(6 * 1024 * 1024))
    with pytest.raises(ValidationError) as caught:
        import_file(world, path)
    assert caught.value.messages == ["文件过大，上限为 5 MB"]
    nothing_kept()


def test_another_organisation_may_not_import_into_this_one(world, tmp_path):
    path = write_workbook(tmp_path / "l.xlsx", [["李明"]], title=None, headers=HEADERS)
    with pytest.raises(PermissionDenied):
        import_file(world, path, by=world.outsider)
    nothing_kept()
