"""Attendance and assessment scores: the one door `record_results`.

The organiser's staff take attendance and record a score per attendee on one form. Every row
is checked before anything is saved (a score is 0–100 with at most one decimal, and only an
attendee has one); one wrong row saves nothing. Each change is logged on its own, so the
log says who changed whose attendance or score from what to what.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.training import access
from manyi.training.models import Enrolment, TrainingClass


@dataclass(frozen=True)
class Result:
    enrolment_id: int
    attended: bool | None  # None: not taken yet
    score: Decimal | None


def _row_errors(enrolment: Enrolment, row: Result) -> dict[str, str]:
    name = enrolment.employee.name
    errors = {}
    if row.attended not in (None, True, False):
        errors["attended"] = _("%(name)s：出勤情况无效") % {"name": name}
    if row.score is not None:
        if not Decimal(0) <= row.score <= Decimal(100):
            errors["score"] = _("%(name)s：成绩应在 0 到 100 之间") % {"name": name}
        elif row.score != row.score.quantize(Decimal("0.1")):
            errors["score"] = _("%(name)s：成绩最多保留一位小数") % {"name": name}
        elif row.attended is not True:
            errors["score"] = _("%(name)s：未出勤的学员不能登记成绩") % {"name": name}
    return errors


def record_results(*, by, training_class: TrainingClass, rows: list[Result]) -> int:
    """Record attendance and scores of the class's enrolments; returns how many changed.

    Refused (nothing saved): someone other than the organiser's people, a cancelled class or
    one that has not started, a row of another class, any row out of bounds — the
    ValidationError names each row's field (``attended-<id>``, ``score-<id>``) so the form
    shows it where it was typed. Side effects, in one transaction: the changed enrolments
    saved (``scored_by``/``scored_at`` when a score changes); one ``training.attendance``
    entry per attendance changed and one ``training.score`` entry per score changed.
    """
    access.RECORD_RESULTS.require(by, training_class)
    with transaction.atomic():
        enrolments = {
            e.pk: e
            for e in Enrolment.objects.select_for_update()
            .filter(training_class=training_class)
            .select_related("employee")
        }
        errors: dict[str, list[str]] = {}
        for row in rows:
            enrolment = enrolments.get(row.enrolment_id)
            if enrolment is None:
                errors.setdefault("__all__", []).append(_("有学员不属于本培训班，请刷新后重试"))
                continue
            for field, message in _row_errors(enrolment, row).items():
                errors[f"{field}-{row.enrolment_id}"] = [message]
        if errors:
            raise ValidationError(errors)
        changes = 0
        now = timezone.now()
        for row in rows:
            enrolment = enrolments[row.enrolment_id]
            changes += _apply(by, training_class, enrolment, row, now)
    return changes


def _apply(by, training_class, enrolment: Enrolment, row: Result, now) -> int:
    changed = []
    if enrolment.attended != row.attended:
        log_activity(
            actor=by,
            action="training.attendance",
            obj=enrolment,
            organisation=training_class.organiser,
            before={"name": enrolment.employee.name, "attended": enrolment.attended},
            after={"name": enrolment.employee.name, "attended": row.attended},
        )
        enrolment.attended = row.attended
        changed.append("attended")
    if enrolment.score != row.score:
        log_activity(
            actor=by,
            action="training.score",
            obj=enrolment,
            organisation=training_class.organiser,
            before={"name": enrolment.employee.name, "score": enrolment.score},
            after={"name": enrolment.employee.name, "score": row.score},
        )
        enrolment.score = row.score
        enrolment.scored_by = by
        enrolment.scored_at = now
        changed += ["score", "scored_by", "scored_at"]
    if changed:
        enrolment.save(update_fields=changed)
    return int(bool(changed))
