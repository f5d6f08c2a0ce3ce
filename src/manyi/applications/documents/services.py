"""Official documents handed out: each render is a sensitive export and is logged.

Views call these instead of rendering and logging themselves (views never write).
"""

from manyi.applications.documents.pdf import application_pdf, confirmation_pdf
from manyi.applications.documents.workbook import applications_workbook
from manyi.common.services import log_activity


def export_application_pdf(*, application, by) -> bytes:
    """附件4-x as PDF. Side effects: an activity-log entry ("application.export_pdf")."""
    pdf = application_pdf(application)
    log_activity(
        actor=by,
        action="application.export_pdf",
        obj=application,
        organisation=application.organisation,
    )
    return pdf


def export_confirmation_pdf(*, confirmation, by) -> bytes:
    """附件2 as PDF. Side effects: an activity-log entry ("confirmation.export_pdf")."""
    pdf = confirmation_pdf(confirmation)
    log_activity(
        actor=by,
        action="confirmation.export_pdf",
        obj=confirmation,
        organisation=confirmation.organisation,
    )
    return pdf


def export_application_confirmation_pdf(*, application, confirmation, version, by) -> bytes:
    """附件2 of an application's applicant as PDF, as the application was submitted with it
    (`version`), else as it stands. Side effects: an activity-log entry
    ("confirmation.export_pdf") naming the application and the version."""
    pdf = confirmation_pdf(confirmation, version)
    log_activity(
        actor=by,
        action="confirmation.export_pdf",
        obj=confirmation,
        organisation=confirmation.organisation,
        after={"application": application.pk, "version": version.number if version else None},
    )
    return pdf


def export_campaign_workbook(*, campaign, applications, category: str, by) -> bytes:
    """The campaign's applications as Excel. Side effects: an activity-log entry."""
    content = applications_workbook(applications)
    log_activity(
        actor=by,
        action="applications.export",
        obj=campaign,
        after={"category": category, "count": applications.count()},
    )
    return content
