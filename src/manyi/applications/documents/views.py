"""Downloads: an application's form and the confirmation form as PDF, the campaign workbook.

Each download is logged by ``documents.services`` (who took which document when); what a user
may download is what the selectors let them see.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from manyi.accounts.access import organisations_for
from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications import access, selectors
from manyi.applications.documents import services
from manyi.applications.models import Confirmation
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
