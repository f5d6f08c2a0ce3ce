"""Reading an employee list (职工名单) from Excel: pure checks, row-numbered Chinese messages.

The file goes through `common.spreadsheets.inspect_xlsx` (size, zip directory, bombs,
macros, cell bounds) before calamine reads a cell. :func:`check_employee_list` returns the
valid rows or every problem; storing is `employees.import_employees`' job, all or nothing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from manyi.accounts.models import phone_validator
from manyi.common.spreadsheets import SpreadsheetRejected, inspect_xlsx, iter_rows, write_xlsx

# Headers as the template prints them; matched against the file, never translated.
NAME, NUMBER, DEPARTMENT, POSITION, MOBILE = "姓名", "工号", "部门", "岗位", "手机"
COLUMNS = {NAME: "name", NUMBER: "employee_no", DEPARTMENT: "department", POSITION: "position"}
COLUMNS[MOBILE] = "mobile"
LIMITS = {"name": 60, "employee_no": 40, "department": 100, "position": 100, "mobile": 20}
TEMPLATE_HEADERS = (NAME, NUMBER, DEPARTMENT, POSITION, MOBILE)
SHEET_TITLE = "职工名单"

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_EMPLOYEES = 5000
# The header may sit below a title line or two.
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 20
MAX_ERRORS = 200


@dataclass
class EmployeeListCheck:
    rows: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value: str) -> str:
    """Full-width letters and digits made plain (NFKC), spaces trimmed."""
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def _header(cells: list[str]) -> dict[str, int] | None:
    found = {}
    for index, value in enumerate(cells):
        key = COLUMNS.get(_cell(value).replace(" ", ""))
        if key and key not in found:
            found[key] = index
    return found if "name" in found else None


def check_employee_list(path, *, existing_numbers: set[str]) -> EmployeeListCheck:
    """The employees of an uploaded list, or every problem found (up to MAX_ERRORS).

    Checks: the file itself (refused whole with the guard's message), a header row with
    姓名, every row's name, lengths, mobile (as the employee form checks it), 工号 repeated
    in the file or already on file. Blank rows are skipped.
    """
    result = EmployeeListCheck()
    rows_allowed = MAX_EMPLOYEES + HEADER_SEARCH_ROWS
    try:
        info = inspect_xlsx(
            path, max_file_bytes=MAX_FILE_BYTES, max_rows=rows_allowed, max_cols=MAX_COLUMNS
        )
        if info.value_rows > rows_allowed:
            result.errors.append(_("职工名单最多 %(max)d 行") % {"max": MAX_EMPLOYEES})
            return result
        _read(path, info, result, existing_numbers, rows_allowed)
    except SpreadsheetRejected as exc:
        result.rows = []
        result.errors = [exc.message]
    return result


def _read(path, info, result: EmployeeListCheck, existing: set[str], rows_allowed: int) -> None:
    header = None
    seen_numbers: dict[str, int] = {}
    for number, cells in iter_rows(path, max_rows=rows_allowed, max_cols=MAX_COLUMNS, info=info):
        if header is None:
            header = _header(cells)
            if header is None and number >= HEADER_SEARCH_ROWS:
                break
            continue
        values = {key: _cell(cells[i]) if i < len(cells) else "" for key, i in header.items()}
        if not any(values.values()):
            continue
        problems = _row_problems(values, number, seen_numbers, existing)
        if problems:
            result.errors.extend(problems)
            if len(result.errors) >= MAX_ERRORS:
                result.errors.append(_("错误过多，仅列出前 %(n)d 条") % {"n": MAX_ERRORS})
                break
        else:
            result.rows.append({key: values.get(key, "") for key in LIMITS})
    if header is None:
        result.errors.append(
            _("没有找到表头“姓名”：请使用导入模板，第一行为“姓名、工号、部门、岗位、手机”")
        )
    elif not result.rows and not result.errors:
        result.errors.append(_("文件中没有职工"))
    if result.errors:
        result.rows = []


def _row_problems(values: dict, number: int, seen: dict[str, int], existing: set[str]):
    def say(message, **kw) -> str:
        return _("第 %(row)d 行：") % {"row": number} + message % kw

    problems = []
    if not values.get("name"):
        problems.append(say(_("请填写姓名")))
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            problems.append(say(_("%(column)s不超过 %(max)d 个字"), column=_label(key), max=limit))
    mobile = values.get("mobile", "")
    if mobile and len(mobile) <= LIMITS["mobile"]:
        try:
            phone_validator(mobile)
        except ValidationError:
            problems.append(say(_("手机号码“%(value)s”格式不正确"), value=mobile))
    employee_no = values.get("employee_no", "")
    if employee_no:
        if employee_no in seen:
            problems.append(
                say(_("工号 %(no)s 与第 %(other)d 行重复"), no=employee_no, other=seen[employee_no])
            )
        elif employee_no in existing:
            problems.append(say(_("工号 %(no)s 已在本单位职工名单中"), no=employee_no))
        seen.setdefault(employee_no, number)
    return problems


def _label(key: str) -> str:
    return {v: k for k, v in COLUMNS.items()}[key]


def template_workbook(buffer) -> None:
    """The import template: the header row and one example line."""
    write_xlsx(
        [["张三", "A0001", "质量管理部", "质量工程师", "13800138000"]],
        headers=TEMPLATE_HEADERS,
        title=SHEET_TITLE,
        path_or_buffer=buffer,
        column_widths=(14, 12, 20, 20, 16),
    )
