"""The customer list's optional 电子邮箱 column: read, checked, stored, and copied into the sample
(the web questionnaire's links go to these addresses)."""

import pytest

from manyi.accounts.roles import Role
from manyi.applications.customers.rows import TEMPLATE_NOTE, check_customer_list
from manyi.applications.models import Customer, CustomerListStatus
from tests import xlsx_factory as xf
from tests.applications.test_customer_lists import make_application, upload_list

HEADERS = [*xf.SEED_HEADERS, "电子邮箱"]


def with_emails(count, emails: dict[int, str]):
    """Customer rows 1..count, customer i with emails.get(i, "") in the seventh column."""
    return [[*row, emails.get(i, "")] for i, row in enumerate(xf.customers(count), start=1)]


def test_the_column_is_read_when_present(tmp_path):
    rows = with_emails(35, {1: "li@example.cn", 2: " wang＠example.cn "})
    path = xf.write_workbook(tmp_path / "l.xlsx", rows, headers=HEADERS)

    result = check_customer_list(path)

    assert result.ok, result.errors
    assert result.rows[0].email == "li@example.cn"
    assert result.rows[1].email == "wang@example.cn"  # full-width ＠ read as @, trimmed
    assert result.rows[2].email == ""


def test_a_bad_address_is_a_row_error(tmp_path):
    rows = with_emails(35, {2: "不是邮箱"})
    path = xf.write_workbook(tmp_path / "l.xlsx", rows, headers=HEADERS)

    result = check_customer_list(path)

    assert not result.ok
    assert [e.message for e in result.errors] == ["第4行：电子邮箱“不是邮箱”格式不正确"]
    assert result.errors[0].column == "电子邮箱"


def test_without_the_column_nothing_changes(tmp_path):
    path = xf.write_workbook(tmp_path / "l.xlsx", xf.customers(35))

    result = check_customer_list(path)

    assert result.ok
    assert {row.email for row in result.rows} == {""}


def test_the_template_note_says_the_column_is_optional():
    assert "电子邮箱" in TEMPLATE_NOTE
    assert "选填" in TEMPLATE_NOTE


@pytest.mark.django_db
def test_the_import_stores_the_addresses(world, tmp_path, django_capture_on_commit_callbacks):
    application = make_application(world)
    rows = with_emails(35, {1: "li@example.cn"})
    path = xf.write_workbook(tmp_path / "l.xlsx", rows, headers=HEADERS)

    customer_list = upload_list(
        django_capture_on_commit_callbacks,
        application,
        world.users[Role.ENTERPRISE_USER],
        path,
    )

    assert customer_list.status == CustomerListStatus.ACCEPTED
    customers = Customer.objects.filter(customer_list=customer_list).order_by("row")
    assert customers[0].email == "li@example.cn"
    assert customers[1].email == ""
