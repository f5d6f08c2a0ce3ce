"""Training classes: the list, scheduling and editing, a class's page, its moves, enrolment,
and the organiser's attendance and scores form.

Thin: selectors scope every object to the user (another's class is a 404), the services
check and change, these translate HTTP.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.customers.rows import mask_phone
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.training import access, enrolling, records, requirements, results, selectors, services
from manyi.training.filters import ClassFilter, EmployeePickerFilter
from manyi.training.forms import (
    CancelForm,
    ClassForm,
    EmployeeForm,
    EnrolForm,
    ResultsForm,
    employee_label,
)
from manyi.training.words import outcome_word

# The enrol form's picker pages on its own parameter (the class page has no other list).
PICKER_PAGE = "people_page"
READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER)
ORGANISERS = (*access.ORGANISER_ROLES, Role.ENTERPRISE_USER)
ENTERPRISE = (Role.ENTERPRISE_USER,)


def crumbs(*trail) -> list[tuple[str, str]]:
    """The breadcrumbs of a training page: 培训 first, then the trail (label, url or "")."""
    return [(_("培训"), reverse("training:index")), *trail]


@role_required(*READERS)
def index(request):
    """Classes to enrol in (enterprise), classes organised (agency, offices), every class
    (programme staff); filtered by the URL; what open campaigns require of the enterprise."""
    user = request.user
    enterprise = access.is_enterprise(user)
    classes = selectors.classes_for(user).order_by("-starts_at", "-pk")
    listing = paginate(request, classes, ClassFilter)
    organisations = organisations_for(user, Role.ENTERPRISE_USER)
    return render(
        request,
        "training/index.html",
        {
            **listing.context(),
            "enterprise": enterprise,
            "can_schedule": access.schedules_anything(user),
            "internal_only": all(o.is_enterprise for o in access.organiser_choices(user)),
            "enrollable_count": selectors.enrollable_for(user).count() if enterprise else 0,
            "requirements": [(o, requirements.requirements_for(o)) for o in organisations],
        },
    )


@role_required(*ORGANISERS)
def class_create(request):
    organisers = access.organiser_choices(request.user)
    form = ClassForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("organiser", None)
        organiser = next((o for o in organisers if o.pk == chosen), organisers[0])
        try:
            training_class = services.create_class(by=request.user, organiser=organiser, **data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("培训班已安排，现在可以报名了"))
            return redirect("training:class_detail", pk=training_class.pk)
    return render(
        request,
        "training/class_form.html",
        {
            "form": form,
            "internal_only": all(o.is_enterprise for o in organisers),
            "breadcrumbs": crumbs((_("安排培训班"), "")),
        },
    )


def _mask(enrolments, *, organiser: bool):
    for enrolment in enrolments:
        mobile = enrolment.employee.mobile
        enrolment.shown_mobile = mobile if organiser or not mobile else mask_phone(mobile)
    return enrolments


def _picker(request, training_class):
    """One page of the employees the enterprise may still enrol, found by ``?who=``; each with
    the label its checkbox reads."""
    picker = paginate(
        request,
        selectors.employees_to_enrol(request.user, training_class),
        EmployeePickerFilter,
        page_param=PICKER_PAGE,
    )
    for employee in picker.page:
        employee.choice_label = employee_label(employee)
    return picker


@role_required(*READERS)
def class_detail(request, pk):
    user = request.user
    training_class = selectors.class_for(user, pk)
    flags = access.class_flags(user, training_class)
    enrolments = list(selectors.enrolments_for(user, training_class))
    for enrolment in enrolments:
        enrolment.training_class = training_class
        enrolment.outcome_word = outcome_word(records.outcome(enrolment))
        enrolment.can_withdraw = access.WITHDRAW.allows(user, enrolment)
    context = {
        "training_class": training_class,
        **flags,
        "enrolments": _mask(enrolments, organiser=flags["is_organiser"]),
        "places_left": max(training_class.capacity - training_class.enrolled_count, 0),
        "closes_at": access.enrolment_closes_at(training_class),
        "breadcrumbs": crumbs((training_class.title, "")),
    }
    if flags["can_enrol"]:
        context["picker"] = _picker(request, training_class)
        context["new_employee_form"] = EmployeeForm(prefix="new")
    if flags["can_cancel"]:
        context["cancel_form"] = CancelForm()
    return render(request, "training/class_detail.html", context)


@role_required(*ORGANISERS)
def class_edit(request, pk):
    training_class = selectors.class_for(request.user, pk)
    if not access.EDIT_CLASS.allows(request.user, training_class):
        raise PermissionDenied
    form = ClassForm(request.POST or None, instance=training_class)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_class(
                by=request.user, training_class=training_class, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("培训班已修改"))
            return redirect("training:class_detail", pk=training_class.pk)
    return render(
        request,
        "training/class_form.html",
        {
            "form": form,
            "training_class": training_class,
            "breadcrumbs": crumbs(
                (training_class.title, reverse("training:class_detail", args=[pk])),
                (_("修改"), ""),
            ),
        },
    )


def _to_class(training_class):
    return redirect("training:class_detail", pk=training_class.pk)


def _move(request, pk, service, done: str, **extra):
    training_class = selectors.class_for(request.user, pk)
    try:
        service(by=request.user, training_class=training_class, **extra)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return _to_class(training_class)


@require_POST
@role_required(*ORGANISERS)
def class_close(request, pk):
    return _move(request, pk, services.close_enrolment, _("已截止报名"))


@require_POST
@role_required(*ORGANISERS)
def class_reopen(request, pk):
    return _move(request, pk, services.reopen_enrolment, _("已重新开放报名"))


@require_POST
@role_required(*ORGANISERS)
def class_held(request, pk):
    return _move(request, pk, services.mark_held, _("培训班已结课"))


@require_POST
@role_required(*ORGANISERS)
def class_cancel(request, pk):
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _move(
        request, pk, services.cancel_class, _("培训班已取消，已通知报名单位"), reason=reason
    )


@require_POST
@role_required(*ENTERPRISE)
def enrol(request, pk):
    user = request.user
    training_class = selectors.class_for(user, pk)
    form = EnrolForm(request.POST, employees=selectors.employees_to_enrol(user, training_class))
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_class(training_class)
    try:
        made = enrolling.enrol(
            by=user, training_class=training_class, employees=form.cleaned_data["employees"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已为 %(n)d 名职工报名") % {"n": len(made)})
    return _to_class(training_class)


@require_POST
@role_required(*ENTERPRISE)
def enrol_new(request, pk):
    """Put a new employee on file and enrol them at once."""
    user = request.user
    training_class = selectors.class_for(user, pk)
    form = EmployeeForm(request.POST, prefix="new")
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_class(training_class)
    organisation = organisations_for(user, Role.ENTERPRISE_USER)[0]
    if training_class.is_internal and training_class.organiser.pk in access.enterprise_ids(user):
        organisation = training_class.organiser
    try:
        enrolment = enrolling.enrol_new_employee(
            by=user, training_class=training_class, organisation=organisation, **form.cleaned_data
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(
            request, _("已建立 %(name)s 的档案并报名") % {"name": enrolment.employee.name}
        )
    return _to_class(training_class)


@require_POST
@role_required(*ENTERPRISE)
def unenrol(request, pk, enrolment_pk):
    training_class = selectors.class_for(request.user, pk)
    enrolment = selectors.enrolment_for(request.user, training_class, enrolment_pk)
    try:
        enrolling.withdraw(by=request.user, enrolment=enrolment)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已取消 %(name)s 的报名") % {"name": enrolment.employee.name})
    return _to_class(training_class)


@role_required(*ORGANISERS)
def results_form(request, pk):
    """Attendance and scores of every enrolment on one form, saved all at once or not at all."""
    training_class = selectors.class_for(request.user, pk)
    if not access.RECORD_RESULTS.allows(request.user, training_class):
        raise PermissionDenied
    enrolments = list(selectors.enrolments_for(request.user, training_class))
    form = ResultsForm(request.POST or None, enrolments=enrolments)
    if request.method == "POST" and form.is_valid():
        try:
            changed = results.record_results(
                by=request.user, training_class=training_class, rows=form.results()
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已保存出勤和成绩（%(n)d 人有变化）") % {"n": changed})
            return _to_class(training_class)
    return render(
        request,
        "training/results.html",
        {
            "training_class": training_class,
            "form": form,
            "breadcrumbs": crumbs(
                (training_class.title, reverse("training:class_detail", args=[pk])),
                (_("登记出勤和成绩"), ""),
            ),
        },
    )
