"""Employee training files out of the system: one file as a PDF, all of an organisation's as
Excel. Both hold personal data, so each is logged (``training.file_pdf``,
``training.files_export``) in the same call that makes it.

The workbook has two sheets (the employees with their totals, and every class record), so it
is written here with openpyxl's write-only mode under the same rule as
`common.spreadsheets.write_xlsx`: no text ever becomes a formula.
"""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.punctuation import local_date
from manyi.common.services import log_activity
from manyi.common.spreadsheets import add_sheet, new_workbook
from manyi.training import access
from manyi.training.models import Employee
from manyi.training.records import employee_file, file_records
from manyi.training.words import outcome_word

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_pdf(*, by, employee: Employee) -> bytes:
    """One employee's training file as an A4 document (always Chinese).

    Refused to anyone who may not read the organisation's files. Side effects: one
    ``training.file_pdf`` entry.
    """
    from manyi.common.pdf import render_pdf

    access.READ_FILES.require(by, employee.organisation)
    summary = employee_file(employee)
    content = render_pdf(
        "training/employee_file_pdf.html",
        {
            "employee": employee,
            "organisation": employee.organisation,
            "summary": summary,
            "rows": [(record, outcome_word(record.outcome)) for record in summary.records],
            "printed_on": timezone.localdate(),
        },
    )
    log_activity(
        actor=by,
        action="training.file_pdf",
        obj=employee,
        organisation=employee.organisation,
        after={"records": len(summary.records)},
    )
    return content


def _number(value):
    return float(value) if value is not None else None


def files_workbook(employees) -> bytes:
    """Sheet 职工 (one row per employee with totals) and sheet 培训记录 (one row per class
    record, oldest first)."""
    people, records = [], []
    by_employee: dict[int, list] = {}
    for record in file_records(employees):
        by_employee.setdefault(record.employee_id, []).append(record)
    for employee in employees:
        summary = employee_file(employee, by_employee.get(employee.pk, []))
        total = summary.total
        people.append(
            [
                employee.name,
                employee.employee_no,
                employee.department,
                employee.position,
                _("在职") if employee.is_active else _("离职"),
                total.classes,
                total.attended,
                total.passed,
                _number(total.hours_attended),
                _number(total.hours_passed),
            ]
        )
        for record in summary.records:
            training_class = record.training_class
            records.append(
                [
                    employee.name,
                    employee.employee_no,
                    training_class.title,
                    training_class.get_topic_display(),
                    training_class.organiser.name,
                    local_date(training_class.starts_at),
                    local_date(training_class.ends_at),
                    _number(training_class.hours),
                    ""
                    if record.attended is None
                    else (_("出勤") if record.attended else _("缺勤")),
                    _number(record.score),
                    outcome_word(record.outcome),
                ]
            )
    workbook = new_workbook()
    add_sheet(
        workbook,
        people,
        title=_("职工"),
        fit_widths=True,
        headers=[
            _("姓名"),
            _("工号"),
            _("部门"),
            _("岗位"),
            _("状态"),
            _("参加培训（班次）"),
            _("出勤（班次）"),
            _("考核合格（班次）"),
            _("出勤学时"),
            _("合格学时"),
        ],
    )
    add_sheet(
        workbook,
        records,
        title=_("培训记录"),
        fit_widths=True,
        headers=[
            _("姓名"),
            _("工号"),
            _("培训班"),
            _("培训内容"),
            _("主办单位"),
            _("开始日期"),
            _("结束日期"),
            _("学时"),
            _("出勤"),
            _("考核成绩"),
            _("结果"),
        ],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_files(*, by, organisation) -> bytes:
    """Every employee file of the organisation as one workbook (its own users only).

    Side effects: one ``training.files_export`` entry with the number of employees.
    """
    access.EXPORT_FILES.require(by, organisation)
    employees = list(
        Employee.objects.filter(organisation=organisation).order_by("department", "name", "pk")
    )
    content = files_workbook(employees)
    log_activity(
        actor=by,
        action="training.files_export",
        obj=organisation,
        organisation=organisation,
        after={"employees": len(employees)},
    )
    return content
