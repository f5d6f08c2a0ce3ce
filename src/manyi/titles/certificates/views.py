"""Certificates and the public register.

Public (no account): the register of titles and the verification page of a number. The
applicant's users and programme staff: the certificate and plaque PDFs. Programme staff: a
title's page; the association's administrator uploads the seal there.
Thin: the selectors read, the services check, render and log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import public, role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.applications.models import AgencySeal
from manyi.common.listing import paginate
from manyi.titles.access import DECISION_PACK, UPLOAD_ASSOCIATION_SEAL
from manyi.titles.certificates import selectors, services
from manyi.titles.certificates.filters import RegisterFilter
from manyi.titles.certificates.forms import SealForm

HOLDERS = (*PROGRAMME_STAFF, Role.ENTERPRISE_USER)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(*HOLDERS)
def certificate(request, number):
    title = selectors.title_for(request.user, number)
    pdf = services.export_certificate_pdf(title=title, by=request.user)
    return _pdf(pdf, f"certificate-{title.number}.pdf")


@require_GET
@role_required(*HOLDERS)
def plaque(request, number):
    title = selectors.title_for(request.user, number)
    pdf = services.export_plaque_pdf(title=title, by=request.user)
    return _pdf(pdf, f"plaque-{title.number}.pdf")


@role_required(*PROGRAMME_STAFF)
def title_detail(request, number):
    title = selectors.title_for(request.user, number)
    issuer = selectors.association()
    decision = getattr(title.application, "decision", None)
    return render(
        request,
        "titles/certificates/title_detail.html",
        {
            "title": title,
            "decision": decision,
            "verify_url": services.verify_url(title.number),
            "has_seal": bool(issuer and AgencySeal.objects.filter(agency=issuer).exists()),
            "can_upload_seal": UPLOAD_ASSOCIATION_SEAL.allows(request.user, issuer),
            "can_download_pack": DECISION_PACK.allows(request.user, title.application),
            "seal_form": SealForm(),
        },
    )


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def certificate_seal(request, number):
    title = selectors.title_for(request.user, number)
    form = SealForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择公章图片"))
    else:
        try:
            services.save_association_seal(by=request.user, upload=form.cleaned_data["seal"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("协会公章已保存，此后下载的证书均加盖此章"))
    return redirect(reverse("titles:title_detail", args=[title.number]))


@public
@require_GET
def register(request):
    listing = paginate(request, selectors.public_register(), RegisterFilter)
    return render(request, "titles/certificates/register.html", listing.context())


@public
@require_GET
def verify(request, number):
    try:
        title = selectors.public_title(number)
    except Http404:
        return render(
            request, "titles/certificates/verify_unknown.html", {"number": number}, status=404
        )
    return render(
        request,
        "titles/certificates/verify.html",
        {"title": title, "title_name": services.title_name(title)},
    )
