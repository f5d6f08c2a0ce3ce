"""The enterprise answers the submitted report: its reply and its improvement plan."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors
from manyi.diagnostics import selectors, services
from manyi.diagnostics.access import ANSWER, submitted_report
from manyi.diagnostics.forms import SPARE_ROWS, AnswerForm
from manyi.diagnostics.models import Priority


def _recommendations(report) -> list[dict]:
    return [
        {
            **r,
            "priority_label": Priority(r["priority"]).label,
            "high": r["priority"] == Priority.HIGH,
        }
        for r in report.recommendations
    ]


def _first_rows(report) -> list[dict]:
    """One row per recommendation, high ones first, and a spare row: what most plans need."""
    ordered = sorted(report.recommendations, key=lambda r: r["priority"] != Priority.HIGH)
    rows = [{"driver": r["key"], "description": "", "owner": "", "due_text": ""} for r in ordered]
    return rows + [{"driver": "", "description": "", "owner": "", "due_text": ""}] * SPARE_ROWS


@role_required(Role.ENTERPRISE_USER)
def diagnosis_answer(request, pk):
    diagnosis = selectors.diagnosis_for(request.user, pk)
    try:
        ANSWER.require(request.user, diagnosis)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from exc
    report = submitted_report(diagnosis)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        actions = [
            {k: row[k] for k in ("driver", "description", "owner", "due_on")}
            for row in form.actions()
        ]
        try:
            plan = services.answer_diagnosis(
                diagnosis=diagnosis,
                by=request.user,
                reply=form.cleaned_data["reply"],
                actions=actions,
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(
                request,
                _("已答复诊断报告，改进计划已建立；措施完成后请在改进计划中逐项标记"),
            )
            return redirect("selfmeasure:plan_detail", pk=plan.pk)
    rows = form.actions() if form.is_bound else _first_rows(report)
    return render(
        request,
        "diagnostics/answer.html",
        {
            "diagnosis": diagnosis,
            "report": report,
            "recommendations": _recommendations(report),
            "form": form,
            "rows": rows,
        },
        status=400 if form.is_bound else 200,
    )
