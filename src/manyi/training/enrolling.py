"""The only code that enrols employees in classes and takes them off again.

- `enrol`: the enterprise's own employees in an open class, all or none; the places are
  counted under the class's row lock, so concurrent enrolments never exceed the capacity.
- `enrol_new_employee`: a person put on file and enrolled in one transaction.
- `withdraw`: off the class, before it starts.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.training import access
from manyi.training.employees import add_employee
from manyi.training.models import Enrolment, TrainingClass


def enrol(*, by, training_class: TrainingClass, employees) -> list[Enrolment]:
    """Enrol the enterprise's own employees in an open class, all or none.

    Refused (nothing stored): an employee of another organisation (or who has left, or is
    already enrolled); an internal class of another organisation; a class not open, or past
    its closing time; not enough places left. The places are counted while the class's row
    is locked, so two enterprises enrolling at once never exceed the capacity. Side effects:
    one Enrolment per employee; one ``training.enrol`` entry each.
    """
    employees = list(employees)
    if not employees:
        raise ValidationError(_("请选择要报名的职工"))
    with transaction.atomic():
        locked = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
        taken = locked.enrolments.count()
        locked.enrolled_count = taken
        access.ENROL.require(by, locked)
        problems = _employee_problems(by, locked, employees)
        if problems:
            raise ValidationError(problems)
        left = locked.capacity - taken
        if len(employees) > left:
            raise ValidationError(
                _("名额不足：只剩 %(left)d 个名额，您选择了 %(n)d 人")
                % {"left": left, "n": len(employees)}
            )
        made = []
        for employee in employees:
            enrolment = Enrolment.objects.create(
                training_class=locked, employee=employee, enrolled_by=by
            )
            log_activity(
                actor=by,
                action="training.enrol",
                obj=enrolment,
                organisation=employee.organisation,
                after={"class": locked.pk, "employee": employee.pk, "name": employee.name},
            )
            made.append(enrolment)
    return made


def _employee_problems(by, training_class: TrainingClass, employees) -> list[str]:
    own = access.enterprise_ids(by)
    already = set(training_class.enrolments.values_list("employee_id", flat=True))
    problems = []
    for employee in employees:
        if employee.organisation_id not in own:
            problems.append(_("%(name)s 不是本单位的职工") % {"name": employee.name})
        elif training_class.is_internal and employee.organisation_id != training_class.organiser_id:
            problems.append(_("这是其他单位的内部培训，只接受该单位的职工报名"))
        elif not employee.is_active:
            problems.append(_("%(name)s 已离职，不能报名") % {"name": employee.name})
        elif employee.pk in already:
            problems.append(_("%(name)s 已经报名了这个培训班") % {"name": employee.name})
    return problems


def enrol_new_employee(*, by, training_class: TrainingClass, organisation, **employee_fields):
    """Put a new employee on file and enrol them, in one transaction: if the enrolment is
    refused (full, closed), the employee is not kept either. Side effects: those of
    `employees.add_employee` and of `enrol`."""
    with transaction.atomic():
        employee = add_employee(by=by, organisation=organisation, **employee_fields)
        return enrol(by=by, training_class=training_class, employees=[employee])[0]


def withdraw(*, by, enrolment: Enrolment) -> None:
    """Take an employee off a class before it starts. Side effects: the Enrolment deleted;
    ``training.unenrol`` logged with what it was."""
    access.WITHDRAW.require(by, enrolment)
    with transaction.atomic():
        before = {
            "class": enrolment.training_class_id,
            "employee": enrolment.employee_id,
            "name": enrolment.employee.name,
        }
        log_activity(
            actor=by,
            action="training.unenrol",
            obj=enrolment,
            organisation=enrolment.employee.organisation,
            before=before,
        )
        enrolment.delete()
