"""The diagnostic report: the leader's draft, its submission, and its PDF."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.common.services import log_activity
from manyi.diagnostics import mail, selectors
from manyi.diagnostics.access import (
    READ_REPORT,
    SUBMIT_REPORT,
    WRITE_REPORT,
    group_of,
    wrong_state,
)
from manyi.diagnostics.models import (
    Diagnosis,
    DiagnosisStatus,
    DiagnosticReport,
    Priority,
)
from manyi.diagnostics.services.moves import move

SUMMARY_MAX = 5000
ROW_MAX = 1000
ROWS_MAX = 30


def clean_rows(findings, recommendations) -> tuple[list[dict], list[dict]]:
    """Findings (texts) and recommendations ((text, priority) pairs) as the report stores
    them, numbered F1…, R1… in the order given; blank rows are dropped. ValidationError by
    field for a row too long, too many rows or a priority that is not high/medium/low."""
    errors: dict[str, list[str]] = {}
    found = [t.strip() for t in findings if (t or "").strip()]
    recs = [((t or "").strip(), p) for t, p in recommendations if (t or "").strip()]
    for field, rows in (("findings", found), ("recommendations", [t for t, _p in recs])):
        if len(rows) > ROWS_MAX:
            errors.setdefault(field, []).append(_("最多 %(n)d 条") % {"n": ROWS_MAX})
        for i, text in enumerate(rows, start=1):
            if len(text) > ROW_MAX:
                errors.setdefault(field, []).append(
                    _("第 %(i)d 条超过 %(n)d 字") % {"i": i, "n": ROW_MAX}
                )
    for i, (_text, priority) in enumerate(recs, start=1):
        if priority not in Priority.values:
            errors.setdefault("recommendations", []).append(
                _("第 %(i)d 条建议请选择优先级（高、中、低）") % {"i": i}
            )
    if errors:
        raise ValidationError(errors)
    return (
        [{"key": f"F{i}", "text": t} for i, t in enumerate(found, start=1)],
        [{"key": f"R{i}", "text": t, "priority": p} for i, (t, p) in enumerate(recs, start=1)],
    )


def save_report(*, diagnosis, by, summary: str, findings, recommendations) -> DiagnosticReport:
    """The leader saves the report as a draft (the group reads it; nobody else yet).
    `findings`: texts; `recommendations`: (text, priority) pairs; blank rows are dropped and
    the rest numbered again (F1…, R1…), which is safe because nothing refers to the keys
    before the report is submitted.

    Side effects: the DiagnosticReport created or replaced (its writer: `by`); an activity-log
    entry "diagnosis.report_save" with the counts.
    """
    WRITE_REPORT.require(by, diagnosis)
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise ValidationError({"summary": _("总体评价请不超过 %(n)d 字") % {"n": SUMMARY_MAX}})
    found, recs = clean_rows(findings, recommendations)
    with transaction.atomic():
        current = Diagnosis.objects.select_for_update().get(pk=diagnosis.pk)
        if current.status != DiagnosisStatus.SCHEDULED:
            raise wrong_state(current)
        report, created = DiagnosticReport.objects.update_or_create(
            diagnosis=current,
            defaults={
                "summary": summary,
                "findings": found,
                "recommendations": recs,
                "written_by": by,
            },
        )
        log_activity(
            actor=by,
            action="diagnosis.report_save",
            obj=current,
            organisation=current.enterprise,
            after={"findings": len(found), "recommendations": len(recs), "new": created},
        )
    diagnosis.report = report
    return report


def _problems(report) -> list[str]:
    problems = []
    if report is None:
        return [_("请先保存诊断报告")]
    if not report.summary.strip():
        problems.append(_("请填写总体评价"))
    if not report.findings:
        problems.append(_("请至少写一条发现的问题"))
    if not report.recommendations:
        problems.append(_("请至少写一条改进建议"))
    return problems


def submit_report(*, diagnosis, by) -> DiagnosticReport:
    """The leader submits the saved report, on or after the visit day. Refused (listing every
    gap) without an overall assessment, a finding or a recommendation.

    Side effects: the report's submission time; scheduled → reported (activity log
    "diagnosis.report_submit"); after commit, mail to the enterprise's users, the agency's
    staff and the group.
    """
    SUBMIT_REPORT.require(by, diagnosis)
    report = DiagnosticReport.objects.filter(diagnosis=diagnosis).first()
    problems = _problems(report)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    with transaction.atomic():
        DiagnosticReport.objects.filter(pk=report.pk, submitted_at__isnull=True).update(
            submitted_at=now
        )
        move(
            diagnosis=diagnosis,
            to=DiagnosisStatus.REPORTED,
            by=by,
            after={
                "findings": len(report.findings),
                "recommendations": len(report.recommendations),
            },
        )
        mail.send(
            "reported",
            [
                *selectors.enterprise_emails(diagnosis.enterprise),
                *selectors.agency_staff_emails(diagnosis.agency),
                *(m.expert.email for m in group_of(diagnosis)),
            ],
            {"diagnosis": diagnosis},
        )
    report.submitted_at = now
    diagnosis.report = report
    return report


def report_pdf(*, diagnosis, by) -> bytes:
    """The submitted report as a Chinese official document (A4): the diagnosis's facts, the
    group, the overall assessment, the findings and the recommendations as tables, signed by
    the agency with the submission date.

    Side effects: an activity-log entry "diagnosis.report_pdf" (a download of the enterprise's
    findings is a read worth recording).
    """
    READ_REPORT.require(by, diagnosis)
    from manyi.common.pdf import render_pdf

    report = diagnosis.report
    content = render_pdf(
        "diagnostics/report_pdf.html",
        {
            "diagnosis": diagnosis,
            "report": report,
            "group": group_of(diagnosis),
            "priorities": dict(Priority.choices),
        },
    )
    with transaction.atomic():
        log_activity(
            actor=by,
            action="diagnosis.report_pdf",
            obj=diagnosis,
            organisation=diagnosis.enterprise,
            after={"bytes": len(content)},
        )
    return content
