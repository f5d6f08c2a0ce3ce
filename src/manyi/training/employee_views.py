"""Employee training files (职工技术档案): the list, one person's file, its PDF, the
organisation's Excel export; adding, editing, leaving and importing people.

Readers: the organisation's users, its agencies (confirmed members; read only) and programme
staff. Only the organisation's own users change its people and export its files.
"""

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications.customers.rows import mask_phone
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.training import access, employees, exports, records, selectors
from manyi.training.filters import EmployeeFilter
from manyi.training.forms import EmployeeForm, ImportForm
from manyi.training.imports import template_workbook
from manyi.training.views import ENTERPRISE, READERS, crumbs
from manyi.training.words import outcome_word


def _own_organisation(user):
    return organisations_for(user, Role.ENTERPRISE_USER)[0]


def _list_crumbs(*trail):
    return crumbs((_("职工技术档案"), reverse("training:employee_list")), *trail)


@role_required(*READERS)
def employee_list(request):
    user = request.user
    qs = selectors.employees_for(user).order_by(
        "organisation__name", "-is_active", "department", "name", "pk"
    )
    listing = paginate(request, qs, EmployeeFilter)
    own = access.is_enterprise(user)
    for employee in listing.page:
        employee.shown_mobile = (
            employee.mobile if own or not employee.mobile else mask_phone(employee.mobile)
        )
    return render(
        request,
        "training/employee_list.html",
        {
            **listing.context(),
            "own": own,
            "many_organisations": "organisation" in listing.filters.form.fields,
            "breadcrumbs": crumbs((_("职工技术档案"), "")),
        },
    )


@role_required(*READERS)
def employee_detail(request, pk):
    user = request.user
    employee = selectors.employee_for(user, pk)
    summary = records.employee_file(employee)
    for record in summary.records:
        record.outcome_word = outcome_word(record.outcome)
    own = access.owns_employee(user, employee)
    return render(
        request,
        "training/employee_detail.html",
        {
            "employee": employee,
            "summary": summary,
            "own": own,
            "shown_mobile": employee.mobile
            if own or not employee.mobile
            else mask_phone(employee.mobile),
            **access.employee_flags(user, employee),
            "breadcrumbs": _list_crumbs((employee.name, "")),
        },
    )


@require_GET
@role_required(*READERS)
def employee_pdf(request, pk):
    employee = selectors.employee_for(request.user, pk)
    content = exports.file_pdf(by=request.user, employee=employee)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="training-file-{employee.pk}.pdf"'
    return response


@require_GET
@role_required(*ENTERPRISE)
def employee_export(request):
    organisation = _own_organisation(request.user)
    content = exports.export_files(by=request.user, organisation=organisation)
    response = HttpResponse(content, content_type=exports.XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="training-files-{stamp}.xlsx"'
    return response


@role_required(*ENTERPRISE)
def employee_create(request):
    form = EmployeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employee = employees.add_employee(
                by=request.user,
                organisation=_own_organisation(request.user),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("已建立 %(name)s 的技术档案") % {"name": employee.name})
            return redirect("training:employee_detail", pk=employee.pk)
    return render(
        request,
        "training/employee_form.html",
        {"form": form, "breadcrumbs": _list_crumbs((_("新增职工"), ""))},
    )


@role_required(*ENTERPRISE)
def employee_edit(request, pk):
    employee = selectors.employee_for(request.user, pk)
    if not access.EDIT_EMPLOYEE.allows(request.user, employee):
        raise PermissionDenied
    initial = {key: getattr(employee, key) for key in employees.EMPLOYEE_FIELDS}
    form = EmployeeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            employees.update_employee(by=request.user, employee=employee, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("职工资料已修改"))
            return redirect("training:employee_detail", pk=employee.pk)
    return render(
        request,
        "training/employee_form.html",
        {
            "form": form,
            "employee": employee,
            "breadcrumbs": _list_crumbs(
                (employee.name, reverse("training:employee_detail", args=[pk])), (_("修改"), "")
            ),
        },
    )


def _set_state(request, pk, service, done: str):
    employee = selectors.employee_for(request.user, pk)
    try:
        service(by=request.user, employee=employee)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done % {"name": employee.name})
    return redirect("training:employee_detail", pk=employee.pk)


@require_POST
@role_required(*ENTERPRISE)
def employee_leave(request, pk):
    return _set_state(request, pk, employees.employee_leaves, _("已登记 %(name)s 离职，档案保留"))


@require_POST
@role_required(*ENTERPRISE)
def employee_return(request, pk):
    return _set_state(request, pk, employees.employee_returns, _("已登记 %(name)s 返岗"))


@role_required(*ENTERPRISE)
def employee_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            made = employees.import_employees(
                by=request.user,
                organisation=_own_organisation(request.user),
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(request, _("已导入 %(n)d 名职工") % {"n": len(made)})
            return redirect("training:employee_list")
    return render(
        request,
        "training/employee_import.html",
        {
            "form": form,
            "problems": problems,
            "breadcrumbs": _list_crumbs((_("导入职工名单"), "")),
        },
    )


@require_GET
@role_required(*ENTERPRISE)
def employee_template(request):
    buffer = io.BytesIO()
    template_workbook(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=exports.XLSX)
    response["Content-Disposition"] = 'attachment; filename="employee-list-template.xlsx"'
    return response
