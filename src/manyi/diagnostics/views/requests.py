"""The list of diagnoses, the enterprise's request, the page of one diagnosis, and the moves
made from it with one button (withdraw, accept, decline)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.customers.rows import mask_phone
from manyi.common.actions import action_label
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.diagnostics import selectors, services
from manyi.diagnostics.access import (
    REQUEST,
    diagnosis_flags,
    group_of,
    is_requesting_enterprise,
    submitted_report,
)
from manyi.diagnostics.filters import DiagnosisFilter
from manyi.diagnostics.forms import RequestForm
from manyi.diagnostics.models import Priority

READERS = (*PROGRAMME_STAFF, Role.AGENCY_STAFF, Role.ENTERPRISE_USER, Role.EXPERT)


@require_GET
@role_required(*READERS)
def diagnosis_list(request):
    """Per role: an enterprise its own, an agency those asked of it, an expert those of its
    groups, programme staff all (read-only). Filter by status, agency and date, search by name."""
    listing = paginate(request, selectors.diagnosis_list(request.user), DiagnosisFilter)
    return render(
        request,
        "diagnostics/list.html",
        {**listing.context(), "can_request": REQUEST.allows(request.user, None)},
    )


@role_required(Role.ENTERPRISE_USER)
def diagnosis_request(request):
    enterprises = selectors.enterprises_of(request.user)
    enterprise = enterprises[0] if enterprises else None
    agencies = selectors.agencies_to_ask(enterprise) if enterprise else []
    initial = {}
    if enterprise is not None:
        initial = {
            "contact_name": enterprise.contact_person or request.user.full_name,
            "contact_mobile": enterprise.contact_mobile or request.user.mobile,
        }
    form = RequestForm(
        request.POST if request.method == "POST" else None, agencies=agencies, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            diagnosis = services.request_diagnosis(
                enterprise=enterprise,
                agency=next((a for a in agencies if str(a.pk) == data["agency"]), None),
                by=request.user,
                needs=data["needs"],
                preferred_dates=data["preferred_dates"],
                contact_name=data["contact_name"],
                contact_mobile=data["contact_mobile"],
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("诊断申请已提交，推进机构受理后会通知您"))
            return redirect("diagnostics:detail", pk=diagnosis.pk)
    return render(
        request,
        "diagnostics/request.html",
        {"form": form, "enterprise": enterprise, "has_agencies": bool(agencies)},
    )


def _recommendations(report) -> list[dict]:
    return [{**r, "priority_label": Priority(r["priority"]).label} for r in report.recommendations]


def _plan(diagnosis):
    plan = getattr(diagnosis, "improvement_plan", None)
    if plan is None:
        return None, []
    actions = list(plan.actions.select_related("done_by"))
    return plan, actions


@require_GET
@role_required(*READERS)
def diagnosis_detail(request, pk):
    diagnosis = selectors.diagnosis_for(request.user, pk)
    flags = diagnosis_flags(request.user, diagnosis)
    report = submitted_report(diagnosis)
    if report is None and flags["can_read_draft"]:
        report = diagnosis.report
    plan, actions = _plan(diagnosis) if flags["can_read_plan"] else (None, [])
    history = selectors.history(diagnosis)
    for entry in history:
        entry.label = action_label(entry.action)
    return render(
        request,
        "diagnostics/detail.html",
        {
            "diagnosis": diagnosis,
            **flags,
            "group": group_of(diagnosis),
            "mobile": diagnosis.contact_mobile
            if flags["can_see_contact"]
            else mask_phone(diagnosis.contact_mobile),
            "report": report,
            "recommendations": _recommendations(report) if report else [],
            "plan": plan,
            "actions": actions,
            "done_count": sum(1 for a in actions if a.is_done),
            "history": history,
            "is_enterprise": is_requesting_enterprise.test(request.user, diagnosis),
        },
    )


def _moved(request, pk, service, done: str, **extra):
    diagnosis = selectors.diagnosis_for(request.user, pk)
    try:
        service(diagnosis=diagnosis, by=request.user, **extra)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("diagnostics:detail", pk=diagnosis.pk)


@require_POST
@role_required(Role.ENTERPRISE_USER)
def diagnosis_withdraw(request, pk):
    return _moved(request, pk, services.withdraw_diagnosis, _("诊断申请已撤回"))


@require_POST
@role_required(Role.AGENCY_STAFF)
def diagnosis_accept(request, pk):
    return _moved(request, pk, services.accept_diagnosis, _("已受理，请组建诊断专家小组并安排诊断"))


@require_POST
@role_required(Role.AGENCY_STAFF)
def diagnosis_decline(request, pk):
    return _moved(
        request,
        pk,
        services.decline_diagnosis,
        _("已不予受理，理由已通知企业"),
        reason=request.POST.get("reason", ""),
    )
