"""The only code that changes an organisation's employees on file (职工技术档案, Art. 18).

- `add_employee` / `update_employee`: one person's details, checked as the form checks them.
- `employee_leaves` / `employee_returns`: the file is kept when a person leaves (its records
  are the organisation's), they just no longer enrol.
- `import_employees`: a list from Excel, all or nothing; the upload is read from a temporary
  file that is gone when the call returns, whatever happened, so nothing is stored.
"""

import datetime as dt
import os
import tempfile
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.models import phone_validator
from manyi.common.services import log_activity, snapshot
from manyi.training import access
from manyi.training.imports import LIMITS, MAX_FILE_BYTES, check_employee_list
from manyi.training.models import Employee

EMPLOYEE_FIELDS = tuple(LIMITS)  # name, employee_no, department, position, mobile


def _checked(organisation, data: dict, *, current: Employee | None = None) -> dict:
    """The employee's fields tidied, or ValidationError (a dict by field)."""
    clean = {
        key: " ".join(unicodedata.normalize("NFKC", str(data.get(key) or "")).split())
        for key in EMPLOYEE_FIELDS
    }
    errors: dict[str, list[str]] = {}
    if not clean["name"]:
        errors["name"] = [_("请填写姓名")]
    for key, limit in LIMITS.items():
        if len(clean[key]) > limit:
            errors[key] = [_("不超过 %(max)d 个字") % {"max": limit}]
    if clean["mobile"] and "mobile" not in errors:
        try:
            phone_validator(clean["mobile"])
        except ValidationError as exc:
            errors["mobile"] = exc.messages
    if clean["employee_no"]:
        taken = Employee.objects.filter(organisation=organisation, employee_no=clean["employee_no"])
        if current is not None:
            taken = taken.exclude(pk=current.pk)
        if taken.exists():
            errors["employee_no"] = [
                _("本单位已有工号为 %(no)s 的职工") % {"no": clean["employee_no"]}
            ]
    if errors:
        raise ValidationError(errors)
    return clean


def add_employee(*, by, organisation, **fields) -> Employee:
    """Put a person on the organisation's file. Side effects: the Employee (in post);
    ``training.employee_create`` logged."""
    access.MANAGE_EMPLOYEES.require(by, organisation)
    clean = _checked(organisation, fields)
    with transaction.atomic():
        employee = Employee.objects.create(organisation=organisation, **clean)
        log_activity(
            actor=by,
            action="training.employee_create",
            obj=employee,
            organisation=organisation,
            after=snapshot(employee, EMPLOYEE_FIELDS),
        )
    return employee


def update_employee(*, by, employee: Employee, **fields) -> Employee:
    """Change a person's details. Side effects: the changed fields saved;
    ``training.employee_update`` logged with before and after. Nothing changed, nothing
    logged."""
    access.EDIT_EMPLOYEE.require(by, employee)
    clean = _checked(employee.organisation, fields, current=employee)
    changed = [key for key in EMPLOYEE_FIELDS if getattr(employee, key) != clean[key]]
    if not changed:
        return employee
    with transaction.atomic():
        before = snapshot(employee, changed)
        for key in changed:
            setattr(employee, key, clean[key])
        employee.save(update_fields=changed)
        log_activity(
            actor=by,
            action="training.employee_update",
            obj=employee,
            organisation=employee.organisation,
            before=before,
            after=snapshot(employee, changed),
        )
    return employee


def employee_leaves(*, by, employee: Employee, left_on: dt.date | None = None) -> Employee:
    """The person left the organisation (their file stays). Side effects: not in post, with
    the date; ``training.employee_update`` logged (note: 离职)."""
    access.EMPLOYEE_LEAVES.require(by, employee)
    return _set_active(by, employee, False, left_on or timezone.localdate(), _("离职"))


def employee_returns(*, by, employee: Employee) -> Employee:
    """A person on file back in post. Side effects: in post, no leaving date;
    ``training.employee_update`` logged (note: 返岗)."""
    access.EMPLOYEE_RETURNS.require(by, employee)
    return _set_active(by, employee, True, None, _("返岗"))


def _set_active(by, employee, active: bool, left_on, note: str) -> Employee:
    with transaction.atomic():
        before = snapshot(employee, ["is_active", "left_on"])
        employee.is_active = active
        employee.left_on = left_on
        employee.save(update_fields=["is_active", "left_on"])
        log_activity(
            actor=by,
            action="training.employee_update",
            obj=employee,
            organisation=employee.organisation,
            before=before,
            after=snapshot(employee, ["is_active", "left_on"]),
            note=note,
        )
    return employee


def import_employees(*, by, organisation, upload) -> list[Employee]:
    """Add every employee of an Excel list (姓名, 工号, 部门, 岗位, 手机), or none.

    Refused (ValidationError listing every problem by row; nothing stored, no file kept): a
    file that is not a plain .xlsx or is hostile (bomb, macros, too large, too many rows),
    no header, any row with a problem, a 工号 repeated or already on file. Side effects: the
    Employees; one ``training.employees_import`` entry with their number.
    """
    access.MANAGE_EMPLOYEES.require(by, organisation)
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            _("文件过大，上限为 %(mb)d MB") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    existing = set(
        Employee.objects.filter(organisation=organisation)
        .exclude(employee_no="")
        .values_list("employee_no", flat=True)
    )
    # Read from a private temporary file: deleted when the block ends, accepted or not.
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as held:
        for chunk in upload.chunks():
            held.write(chunk)
        held.flush()
        os.fsync(held.fileno())
        check = check_employee_list(held.name, existing_numbers=existing)
    if not check.ok:
        raise ValidationError(check.errors)
    try:
        with transaction.atomic():
            employees = _store(by, organisation, check.rows, upload.name)
    except IntegrityError as exc:
        # A colleague added one of these 工号 since the check: nothing of the list is kept.
        raise ValidationError(_("名单中有工号刚被同事录入，请刷新后重新导入")) from exc
    return employees


def _store(by, organisation, rows: list[dict], file_name: str | None) -> list[Employee]:
    employees = Employee.objects.bulk_create(
        Employee(organisation=organisation, **row) for row in rows
    )
    log_activity(
        actor=by,
        action="training.employees_import",
        organisation=organisation,
        obj=organisation,
        after={"count": len(employees), "file": (file_name or "")[:200]},
    )
    return employees
