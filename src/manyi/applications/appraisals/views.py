"""Pages of the construction client's appraisal (续表4-4).

The applicant asks for it and reads it; the agency and programme staff who can see the
application read it too; the client fills it through a public single-use link.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from manyi.accounts.decorators import public, role_required
from manyi.applications import access
from manyi.applications.appraisals import services as appraisals
from manyi.applications.appraisals.forms import AppraisalForm, RequestAppraisalForm
from manyi.applications.appraisals.selectors import appraisal_application_for
from manyi.applications.evidence import ACCEPTED

CONTENT_TYPES = {suffix: content_type for content_type, suffix in ACCEPTED.values()}


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _request_form(request, application, appraisal):
    from_form = str(application.form_data.get("client_name") or "").strip()
    initial = {}
    if appraisal is not None:
        initial = {
            "client_name": appraisal.client_name,
            "contact_name": appraisal.contact_name,
            "contact_email": appraisal.contact_email,
            "contact_phone": appraisal.contact_phone,
        }
    data = request.POST if request.method == "POST" else None
    return RequestAppraisalForm(data, initial=initial, client_name_from_form=from_form), from_form


@role_required(*appraisals.READERS)
def appraisal(request, pk):
    """The applicant's page: ask for the appraisal, follow it, read it; others read it."""
    application = appraisal_application_for(request.user, pk)
    appraisal = getattr(application, "client_appraisal", None)
    is_applicant = access.is_applicant.test(request.user, application)
    form = client_name_from_form = None
    if access.REQUEST_APPRAISAL.allows(request.user, application):
        form, client_name_from_form = _request_form(request, application, appraisal)
    if request.method == "POST":
        if not is_applicant:
            raise PermissionDenied
        if form is None:
            messages.error(request, _("建设单位已提交评价或申报已提交，不能再发送评价链接"))
            return redirect("applications:appraisal", pk=application.pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                appraisals.request_appraisal(
                    application=application,
                    by=request.user,
                    client_name=data.get("client_name", ""),
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("评价链接已发送至 %(email)s") % {"email": data["contact_email"]},
                )
                return redirect("applications:appraisal", pk=application.pk)
    submitted = appraisal is not None and appraisal.submitted_at is not None
    return render(
        request,
        "applications/appraisal/page.html",
        {
            "application": application,
            "appraisal": appraisal,
            "submitted": submitted,
            "expired": (
                appraisal is not None and not submitted and appraisal.expires_at <= timezone.now()
            ),
            "answers": _answers(appraisal) if submitted else [],
            "is_applicant": is_applicant,
            "form": form,
            "client_name_from_form": client_name_from_form,
            "project_name": application.form_data.get("project_name") or "",
        },
    )


def _answers(appraisal) -> list[tuple[str, str]]:
    return [(label, getattr(appraisal, name)) for name, label in appraisals.POINTS]


@require_GET
@role_required(*appraisals.READERS)
def appraisal_scan(request, pk):
    """The sealed page the client uploaded, for whoever may read the appraisal (logged)."""
    application = appraisal_application_for(request.user, pk)
    appraisal = getattr(application, "client_appraisal", None)
    if appraisal is None or appraisal.submitted_at is None or not appraisal.scan_path:
        raise Http404
    handle = appraisals.open_scan(appraisal=appraisal, by=request.user)
    suffix = Path(appraisal.scan_path).suffix
    return FileResponse(
        handle,
        as_attachment=True,
        filename=appraisal.scan_name or f"appraisal-{application.pk}{suffix}",
        content_type=CONTENT_TYPES.get(suffix, "application/octet-stream"),
    )


@public
@never_cache
def appraisal_fill(request, token):
    """The client's form, opened by the link in the email; no account needed."""
    appraisal = appraisals.find_appraisal(token)
    if appraisal is None:
        return render(request, "applications/appraisal/invalid.html", status=404)
    form = AppraisalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appraisals.submit_appraisal(token=token, data=data, scan_upload=data.get("scan"))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return render(
                request,
                "applications/appraisal/done.html",
                {"client_name": appraisal.client_name, "project_name": _project_name(appraisal)},
            )
    return render(
        request,
        "applications/appraisal/fill.html",
        {
            "form": form,
            # Only the project and its parties: nothing else of the application is shown.
            "project_name": _project_name(appraisal),
            "builder": appraisal.application.organisation.name,
            "client_name": appraisal.client_name,
            "expires_at": appraisal.expires_at,
        },
    )


def _project_name(appraisal) -> str:
    return str(appraisal.application.form_data.get("project_name") or "")
