"""The leader's report page (draft and submission) and the report's PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.common.forms import add_validation_errors
from manyi.diagnostics import selectors, services
from manyi.diagnostics.access import READ_REPORT, WRITE_REPORT, diagnosis_flags, group_of
from manyi.diagnostics.forms import ReportForm, report_rows
from manyi.diagnostics.views.requests import READERS


def _saved_rows(diagnosis) -> dict:
    report = getattr(diagnosis, "report", None)
    if report is None:
        return report_rows(findings=[], recommendations=[])
    return report_rows(
        findings=[f["text"] for f in report.findings],
        recommendations=[(r["text"], r["priority"]) for r in report.recommendations],
    )


@role_required(Role.EXPERT)
def report_edit(request, pk):
    """The leader writes the report: save a draft, or save and submit."""
    diagnosis = selectors.diagnosis_for(request.user, pk)
    try:
        WRITE_REPORT.require(request.user, diagnosis)
    except ValidationError as exc:
        raise PermissionDenied(" ".join(exc.messages)) from exc
    report = getattr(diagnosis, "report", None)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial={"summary": report.summary if report else ""},
    )
    if request.method == "POST" and form.is_valid():
        submit, saved = "submit" in request.POST, False
        try:
            services.save_report(
                diagnosis=diagnosis,
                by=request.user,
                summary=form.cleaned_data["summary"],
                findings=form.findings(),
                recommendations=form.recommendations(),
            )
            saved = True
            if submit:
                services.submit_report(diagnosis=diagnosis, by=request.user)
        except ValidationError as exc:
            if saved:
                messages.warning(request, _("草稿已保存，但还不能提交："))
            add_validation_errors(exc, form)
        else:
            if submit:
                messages.success(request, _("诊断报告已提交，已通知企业和推进机构"))
                return redirect("diagnostics:detail", pk=diagnosis.pk)
            messages.success(request, _("草稿已保存，诊断专家小组成员可以阅读"))
            return redirect("diagnostics:report_edit", pk=diagnosis.pk)
    if form.is_bound:
        # What was typed and refused comes back as typed.
        rows = report_rows(findings=form.findings(), recommendations=form.recommendations())
    else:
        rows = _saved_rows(diagnosis)
    return render(
        request,
        "diagnostics/report_form.html",
        {
            "diagnosis": diagnosis,
            "form": form,
            "group": group_of(diagnosis),
            **rows,
            **diagnosis_flags(request.user, diagnosis),
        },
        status=400 if form.is_bound else 200,
    )


@require_GET
@role_required(*READERS)
def report_pdf(request, pk):
    diagnosis = selectors.diagnosis_for(request.user, pk)
    if not READ_REPORT.allows(request.user, diagnosis):
        raise Http404
    content = services.report_pdf(diagnosis=diagnosis, by=request.user)
    response = HttpResponse(content, content_type="application/pdf")
    name = f"diagnosis-report-{diagnosis.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
