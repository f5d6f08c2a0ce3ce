"""An employee's training file (职工技术档案): every class record with its outcome, and the
totals per year and overall. Pure reads; who may read is the selectors' business."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from manyi.training.models import ClassStatus, Employee, Enrolment


@dataclass
class YearTotal:
    year: int
    classes: int = 0
    attended: int = 0
    passed: int = 0
    failed: int = 0
    hours_attended: Decimal = Decimal(0)
    hours_passed: Decimal = Decimal(0)


@dataclass
class FileSummary:
    records: list = field(default_factory=list)
    years: list[YearTotal] = field(default_factory=list)
    total: YearTotal = field(default_factory=lambda: YearTotal(year=0))


def outcome(enrolment: Enrolment) -> str:
    """One word per record: cancelled, pending (not taken or not scored), absent, pass, fail."""
    if enrolment.training_class.status == ClassStatus.CANCELLED:
        return "cancelled"
    if enrolment.attended is False:
        return "absent"
    if enrolment.attended is None or enrolment.score is None:
        return "pending"
    return "pass" if enrolment.score >= enrolment.training_class.pass_score else "fail"


def file_records(employees) -> QuerySet[Enrolment]:
    """The class records of these employees, oldest class first (one query for a whole
    organisation's export)."""
    return (
        Enrolment.objects.filter(employee__in=employees)
        .select_related("training_class", "training_class__organiser")
        .order_by("training_class__starts_at", "pk")
    )


def employee_file(employee: Employee, records: list[Enrolment] | None = None) -> FileSummary:
    """The employee's training file: every class (oldest first) with its outcome, and the
    totals per year of the class's start and overall. `records` may be given when they were
    read for many employees at once (`file_records`)."""
    if records is None:
        records = list(file_records([employee]))
    years: dict[int, YearTotal] = {}
    summary = FileSummary(records=records)
    for record in records:
        record.outcome = outcome(record)
        year = timezone.localtime(record.training_class.starts_at).year
        for total in (years.setdefault(year, YearTotal(year=year)), summary.total):
            _count(total, record)
    summary.years = [years[y] for y in sorted(years)]
    return summary


def _count(total: YearTotal, record) -> None:
    if record.outcome == "cancelled":
        return
    total.classes += 1
    hours = record.training_class.hours
    if record.attended:
        total.attended += 1
        total.hours_attended += hours
    if record.outcome == "pass":
        total.passed += 1
        total.hours_passed += hours
    elif record.outcome == "fail":
        total.failed += 1
