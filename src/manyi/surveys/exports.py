"""A measurement's report as PDF and its result as JSON. Each export is logged.

Views call these rather than rendering and logging themselves (views never write).
"""

import json

from manyi.common.pdf import render_pdf
from manyi.common.services import log_activity
from manyi.surveys import charts
from manyi.surveys.report import build_report


def export_report_pdf(*, run, by) -> bytes:
    """The report with its SVG charts. Side effects: an activity-log entry."""
    pdf = render_pdf(
        "surveys/report_pdf.html",
        report_pdf_context(run=run, by=by),
        language=None,  # the report follows the reader's language; the forms stay Chinese
    )
    log_activity(
        actor=by, action="measurement.export_pdf", obj=run, organisation=run.dataset.organisation
    )
    return pdf


def report_pdf_context(*, run, by) -> dict:
    """The report and its SVG charts, as the PDF template reads them (the trend shows the
    earlier runs ``by`` may read)."""
    report = build_report(run, user=by)
    return {
        "run": run,
        "report": report,
        "index_svg": charts.index_bars(report),
        "path_svg": charts.path_diagram(report),
        "ipa_svg": charts.ipa_chart(report, "constructs") if report.ipma else "",
        "ipa_indicator_svg": charts.ipa_chart(report, "indicators") if report.ipma else "",
        "trend_svg": charts.trend_chart(report),
    }


def export_run_json(*, run, by) -> bytes:
    """The stored result with everything needed to recompute it. Side effects: a log entry."""
    payload = {
        "run": run.pk,
        "title": run.title,
        "status": run.status,
        "data_sha256": run.data_hash,
        "model": run.model_spec,
        "model_hash": run.model_hash,
        "options": run.options,
        "seed": run.seed,
        "engine_version": run.engine_version,
        "result": run.result,
        "bootstrap": run.bootstrap_result,
    }
    log_activity(
        actor=by, action="measurement.export_json", obj=run, organisation=run.dataset.organisation
    )
    return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
