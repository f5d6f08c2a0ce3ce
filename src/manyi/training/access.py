"""Who may do what with training: one predicate per fact, one Action per act.

- **Organisers** schedule and run classes: agency staff for their agency, the association's
  administrator and the committee's staff for their office, and an enterprise's users for an
  internal class of their own (`is_internal`). Only the organiser's people edit a class, close
  or reopen its enrolment, cancel it, mark it held and record attendance and scores.
- **Enterprise users** keep their organisation's employee files and yearly plan, and enrol
  their own employees.
- **Readers** of an organisation's files and plans: its own users, the agencies of which it
  is a confirmed member (read only), and the programme's staff.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import has_role, is_programme_staff, organisations_for
from manyi.accounts.models import AgencyMembership
from manyi.accounts.roles import Role
from manyi.common.permissions import Action, flags, not_allowed
from manyi.training.models import ClassStatus

# The roles that organise classes open to every participating organisation.
ORGANISER_ROLES = (Role.AGENCY_STAFF, Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF)
ACTIVE = (ClassStatus.OPEN, ClassStatus.CLOSED)


def enterprise_ids(user) -> set[int]:
    """The enterprises in which the user works (as an enterprise user)."""
    return {o.pk for o in organisations_for(user, Role.ENTERPRISE_USER)}


def organiser_choices(user) -> list:
    """The organisations for which the user may schedule a class: the agency or office first,
    then the user's enterprise (internal classes only)."""
    return [
        *organisations_for(user, *ORGANISER_ROLES),
        *organisations_for(user, Role.ENTERPRISE_USER),
    ]


def organiser_ids(user) -> set[int]:
    return {o.pk for o in organiser_choices(user)}


def member_ids(user) -> set[int]:
    """The enterprises that are confirmed members of the user's agencies (cached per request,
    like the user's memberships)."""
    cached = getattr(user, "_training_member_ids", None)
    if cached is None:
        agencies = [o.pk for o in organisations_for(user, Role.AGENCY_STAFF)]
        cached = set()
        if agencies:
            cached = set(
                AgencyMembership.objects.filter(
                    agency_id__in=agencies, confirmed_at__isnull=False
                ).values_list("enterprise_id", flat=True)
            )
        user._training_member_ids = cached
    return cached


def enrolment_closes_at(training_class):
    """When enrolment ends: the closing time set, or else the start of the class."""
    return training_class.enrol_closes_at or training_class.starts_at


# ------------------------------------------------------------------------------------------
# Facts about the person


@rules.predicate
def may_organise_for(user, organisation) -> bool:
    """`organisation` is one the user schedules classes for."""
    return organisation is not None and organisation.pk in organiser_ids(user)


@rules.predicate
def is_organiser(user, training_class) -> bool:
    return training_class.organiser_id in organiser_ids(user)


@rules.predicate
def is_enterprise_user_of(user, organisation) -> bool:
    return organisation is not None and organisation.pk in enterprise_ids(user)


@rules.predicate
def reads_files_of(user, organisation) -> bool:
    """The organisation's own users, its agencies (confirmed members only), programme staff."""
    return organisation is not None and (
        organisation.pk in enterprise_ids(user)
        or organisation.pk in member_ids(user)
        or bool(is_programme_staff(user))
    )


@rules.predicate
def owns_employee(user, employee) -> bool:
    return employee.organisation_id in enterprise_ids(user)


@rules.predicate
def owns_enrolment(user, enrolment) -> bool:
    return enrolment.employee.organisation_id in enterprise_ids(user)


@rules.predicate
def may_enrol(user, training_class) -> bool:
    """An enterprise user; an internal class takes only the organiser's own people."""
    own = enterprise_ids(user)
    if not own:
        return False
    return not training_class.is_internal or training_class.organiser_id in own


# ------------------------------------------------------------------------------------------
# Facts about the class


@rules.predicate
def class_is_open(_user, training_class) -> bool:
    return training_class.status == ClassStatus.OPEN


@rules.predicate
def class_is_closed(_user, training_class) -> bool:
    return training_class.status == ClassStatus.CLOSED


@rules.predicate
def class_is_active(_user, training_class) -> bool:
    """Open or closed for enrolment: not yet held, not cancelled."""
    return training_class.status in ACTIVE


@rules.predicate
def class_not_cancelled(_user, training_class) -> bool:
    return training_class.status != ClassStatus.CANCELLED


@rules.predicate
def class_has_started(_user, training_class) -> bool:
    return training_class.starts_at <= timezone.now()


@rules.predicate
def class_not_started(_user, training_class) -> bool:
    return training_class.starts_at > timezone.now()


@rules.predicate
def enrolment_time_left(_user, training_class) -> bool:
    return timezone.now() < enrolment_closes_at(training_class)


@rules.predicate
def places_left(_user, training_class) -> bool:
    """A hint for the page; the service counts again under the class's row lock."""
    taken = getattr(training_class, "enrolled_count", None)
    if taken is None:
        taken = training_class.enrolments.count()
    return taken < training_class.capacity


@rules.predicate
def enrolment_class_not_started(_user, enrolment) -> bool:
    return enrolment.training_class.starts_at > timezone.now()


@rules.predicate
def enrolment_class_active(_user, enrolment) -> bool:
    return enrolment.training_class.status in ACTIVE


@rules.predicate
def employee_is_active(_user, employee) -> bool:
    return employee.is_active


@rules.predicate
def employee_has_left(_user, employee) -> bool:
    return not employee.is_active


# ------------------------------------------------------------------------------------------
# Refusals


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


not_open = _said(_("该培训班不在报名中"))
not_closed = _said(_("该培训班没有截止报名"))
not_active = _said(_("该培训班已结课或已取消，不能再修改"))
cancelled = _said(_("该培训班已取消"))
not_started = _said(_("培训班开始后才能登记出勤和成绩、办理结课"))
already_started = _said(_("培训班已经开始"))
enrolment_over = _said(_("报名时间已过"))
full = _said(_("名额已满"))
internal_only = _said(_("这是其他单位的内部培训，只接受该单位的职工报名"))
withdraw_too_late = _said(_("培训班已经开始，不能再取消报名"))
withdraw_class_over = _said(_("培训班已结课或已取消，不能再取消报名"))
already_left = _said(_("该职工已经离职"))
still_active = _said(_("该职工在职"))


# ------------------------------------------------------------------------------------------
# Actions on an organisation (the object is an Organisation)

SCHEDULE = Action("training.schedule", (may_organise_for, not_allowed))
MANAGE_EMPLOYEES = Action("training.manage_employees", (is_enterprise_user_of, not_allowed))
EXPORT_FILES = Action("training.export_files", (is_enterprise_user_of, not_allowed))
SAVE_PLAN = Action("training.save_plan", (is_enterprise_user_of, not_allowed))
READ_FILES = Action("training.read_files", (reads_files_of, not_allowed))

# Actions on a class

EDIT_CLASS = Action(
    "training.edit_class", (is_organiser, not_allowed), (class_is_active, not_active)
)
CLOSE_ENROLMENT = Action(
    "training.close_enrolment", (is_organiser, not_allowed), (class_is_open, not_open)
)
REOPEN_ENROLMENT = Action(
    "training.reopen_enrolment",
    (is_organiser, not_allowed),
    (class_is_closed, not_closed),
    (class_not_started, already_started),
)
CANCEL_CLASS = Action(
    "training.cancel_class", (is_organiser, not_allowed), (class_is_active, not_active)
)
MARK_HELD = Action(
    "training.mark_held",
    (is_organiser, not_allowed),
    (class_is_active, not_active),
    (class_has_started, not_started),
)
RECORD_RESULTS = Action(
    "training.record_results",
    (is_organiser, not_allowed),
    (class_not_cancelled, cancelled),
    (class_has_started, not_started),
)
ENROL = Action(
    "training.enrol",
    (may_enrol, internal_only),
    (class_is_open, not_open),
    (enrolment_time_left, enrolment_over),
    (places_left, full),
)

# Actions on an enrolment, an employee

WITHDRAW = Action(
    "training.withdraw",
    (owns_enrolment, not_allowed),
    (enrolment_class_active, withdraw_class_over),
    (enrolment_class_not_started, withdraw_too_late),
)
EDIT_EMPLOYEE = Action("training.edit_employee", (owns_employee, not_allowed))
EMPLOYEE_LEAVES = Action(
    "training.employee_leaves", (owns_employee, not_allowed), (employee_is_active, already_left)
)
EMPLOYEE_RETURNS = Action(
    "training.employee_returns", (owns_employee, not_allowed), (employee_has_left, still_active)
)


def class_flags(user, training_class) -> dict[str, bool]:
    return {
        **flags(
            user,
            training_class,
            {
                "can_edit": EDIT_CLASS,
                "can_close": CLOSE_ENROLMENT,
                "can_reopen": REOPEN_ENROLMENT,
                "can_cancel": CANCEL_CLASS,
                "can_mark_held": MARK_HELD,
                "can_record": RECORD_RESULTS,
                "can_enrol": ENROL,
            },
        ),
        "is_organiser": bool(is_organiser(user, training_class)),
        # Whether the person could enrol at all, full or not: the page then says it is full.
        "enrols_here": bool(may_enrol(user, training_class)),
    }


def employee_flags(user, employee) -> dict[str, bool]:
    return flags(
        user,
        employee,
        {
            "can_edit": EDIT_EMPLOYEE,
            "can_leave": EMPLOYEE_LEAVES,
            "can_return": EMPLOYEE_RETURNS,
        },
    )


def schedules_anything(user) -> bool:
    return bool(organiser_ids(user))


def is_programme(user) -> bool:
    return bool(is_programme_staff(user))


def is_enterprise(user) -> bool:
    return has_role(user, Role.ENTERPRISE_USER)
