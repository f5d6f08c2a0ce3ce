"""The agency's pages: forming the diagnostic group and scheduling the visit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors
from manyi.diagnostics import selectors, services
from manyi.diagnostics.access import MIN_GROUP, SCHEDULE, SET_GROUP, group_of
from manyi.diagnostics.forms import GroupForm, ScheduleForm


def _agency_diagnosis(request, pk, action):
    """The diagnosis if the user's agency may do `action` on it now (403 otherwise: the page
    would offer nothing)."""
    diagnosis = selectors.diagnosis_for(request.user, pk)
    try:
        action.require(request.user, diagnosis)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from exc
    return diagnosis


@role_required(Role.AGENCY_STAFF)
def diagnosis_group(request, pk):
    diagnosis = _agency_diagnosis(request, pk, SET_GROUP)
    rows, committee_opened = selectors.group_choices(diagnosis)
    members = {m.expert_id: m for m in group_of(diagnosis)}
    leader = next((pk_ for pk_, m in members.items() if m.is_leader), None)
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        candidates=rows,
        initial={"experts": [str(pk_) for pk_ in members], "leader": str(leader or "")},
    )
    if request.method == "POST" and form.is_valid():
        by_pk = {str(c.expert.pk): c.expert for c in rows}
        chosen = [by_pk[v] for v in form.cleaned_data["experts"]]
        try:
            changed = services.set_group(
                diagnosis=diagnosis,
                experts=chosen,
                leader=by_pk.get(form.cleaned_data["leader"]),
                by=request.user,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request, _("诊断专家小组已保存") if changed else _("诊断专家小组没有变化")
            )
            return redirect("diagnostics:detail", pk=diagnosis.pk)
    ticked = set(form["experts"].value() or [])
    chosen_leader = form["leader"].value() or ""
    return render(
        request,
        "diagnostics/group.html",
        {
            "diagnosis": diagnosis,
            "form": form,
            "rows": rows,
            "ticked": {str(v) for v in ticked},
            "chosen_leader": str(chosen_leader),
            "committee_opened": committee_opened,
            "min_group": MIN_GROUP,
        },
        status=400 if form.is_bound else 200,
    )


@role_required(Role.AGENCY_STAFF)
def diagnosis_schedule(request, pk):
    diagnosis = _agency_diagnosis(request, pk, SCHEDULE)
    initial = {}
    if diagnosis.visit_starts_at:
        local = timezone.localtime(diagnosis.visit_starts_at)
        initial = {"day": local.date(), "time": local.time(), "place": diagnosis.visit_place}
    else:
        initial = {"place": diagnosis.enterprise.address}
    form = ScheduleForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.schedule_visit(
                diagnosis=diagnosis,
                by=request.user,
                starts_at=form.starts_at(),
                place=form.cleaned_data["place"],
            )
        except ValidationError as exc:
            _field_errors(exc, form)
        else:
            messages.success(request, _("诊断已安排，已通知诊断专家小组和企业"))
            return redirect("diagnostics:detail", pk=diagnosis.pk)
    return render(
        request,
        "diagnostics/schedule.html",
        {"diagnosis": diagnosis, "form": form, "group": group_of(diagnosis)},
        status=400 if form.is_bound else 200,
    )


def _field_errors(exc, form) -> None:
    """The service names the visit's time `starts_at`: the form shows it on the date."""
    if hasattr(exc, "error_dict") and "starts_at" in exc.error_dict:
        form.add_error("day", exc.error_dict.pop("starts_at"))
    add_validation_errors(exc, form)
