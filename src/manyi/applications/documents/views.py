"""The documents: an application's form and the confirmation form as PDF, the campaign
workbook, and the read-only pages of an application's form and of its applicant's 附件2.

Each download is logged by ``documents.services`` (who took which document when); what a user
may download or read is what the selectors let them see. The read-only pages show the same
field tables as the paper (``documents.grid``), so what the agency reads is what it prints.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications import access, selectors
from manyi.applications.documents import services
from manyi.applications.documents.pdf import application_context, confirmation_context
from manyi.applications.forms.pages import ReopenConfirmationForm
from manyi.applications.models import AttachmentKind, Confirmation
from manyi.campaigns.categories import FORMS as CATEGORY_FORMS
from manyi.campaigns.categories import Category
from manyi.campaigns.selectors import campaign_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@role_required(*access.READERS)
def application_pdf(request, pk):
    application = selectors.application_for(request.user, pk)
    pdf = services.export_application_pdf(application=application, by=request.user)
    return _download(
        pdf, "application/pdf", f"application-{application.campaign.year}-{application.pk}.pdf"
    )


@role_required(Role.ENTERPRISE_USER)
def confirmation_pdf(request, year):
    campaign = campaign_for(request.user, year)
    own = organisations_for(request.user, Role.ENTERPRISE_USER)
    confirmation = get_object_or_404(
        Confirmation.objects.select_related("campaign", "organisation"),
        campaign=campaign,
        organisation__in=own,
    )
    pdf = services.export_confirmation_pdf(confirmation=confirmation, by=request.user)
    return _download(pdf, "application/pdf", f"confirmation-{campaign.year}.pdf")


@role_required(*access.READERS)
def form_view(request, pk):
    """The application's form (附件4-x) and its four materials, read-only, as on paper."""
    application = selectors.application_for(request.user, pk)
    if not access.VIEW.allows(request.user, application):
        raise PermissionDenied
    return render(
        request,
        "applications/form_view.html",
        {
            **application_context(application),
            **access.application_flags(request.user, application),
            "form_info": CATEGORY_FORMS[application.category],
        },
    )


def _readable_confirmation(request, pk):
    application = selectors.application_for(request.user, pk)
    if not access.READ_CONFIRMATION.allows(request.user, application):
        raise PermissionDenied
    confirmation, version = selectors.carried_confirmation(application)
    return application, confirmation, version


@role_required(*access.READERS)
def application_confirmation(request, pk):
    """The applicant's 附件2 as the application carries it (the version it was submitted with,
    else the form as it stands), for everyone who may see the application; staff who manage
    the programme may reopen a locked form from here."""
    application, confirmation, version = _readable_confirmation(request, pk)
    is_applicant = access.is_applicant.test(request.user, application)
    return render(
        request,
        "applications/confirmation_read.html",
        {
            "application": application,
            "confirmation": confirmation,
            "version": version,
            "document": confirmation_context(confirmation, version) if confirmation else None,
            "versions": confirmation.versions.all() if confirmation else [],
            "scans": application.attachments.filter(kind=AttachmentKind.SIGNED_CONFIRMATION),
            # The applicant changed the form after this application went out with it.
            "changed_since": version is not None
            and (version.data, version.signer, version.signed_on)
            != (confirmation.data, confirmation.signer, confirmation.signed_on),
            "is_applicant": is_applicant,
            "can_edit_confirmation": is_applicant
            and access.EDIT_CONFIRMATION.allows(request.user, confirmation),
            "can_reopen": confirmation is not None
            and access.REOPEN_CONFIRMATION.allows(request.user, confirmation),
            "reopen_form": ReopenConfirmationForm(),
        },
    )


@role_required(*access.READERS)
def application_confirmation_pdf(request, pk):
    application, confirmation, version = _readable_confirmation(request, pk)
    if confirmation is None:
        raise Http404
    pdf = services.export_application_confirmation_pdf(
        application=application, confirmation=confirmation, version=version, by=request.user
    )
    suffix = f"-v{version.number}" if version else ""
    return _download(
        pdf,
        "application/pdf",
        f"confirmation-{application.campaign.year}-{application.pk}{suffix}.pdf",
    )


@role_required(*PROGRAMME_STAFF)
def export(request, year):
    campaign = campaign_for(request.user, year)
    category = request.GET.get("category", "")
    if category and category not in Category.values:
        raise Http404
    applications = selectors.campaign_applications(request.user, campaign, category=category)
    content = services.export_campaign_workbook(
        campaign=campaign, applications=applications, category=category, by=request.user
    )
    suffix = f"-{category}" if category else ""
    return _download(content, XLSX, f"applications-{campaign.year}{suffix}.xlsx")
