"""Pages of the construction client's appraisal (续表4-4).

The applicant proposes the client's contact; the recommending agency checks it and sends the
link; the agency and programme staff who can see the application read it, and so does the
applicant; the client fills it through a public single-use link.
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
from manyi.applications.appraisals.forms import AppraisalForm, ClientContactForm
from manyi.applications.appraisals.selectors import appraisal_application_for
from manyi.applications.evidence import ACCEPTED, download_name

CONTENT_TYPES = {suffix: content_type for content_type, suffix in ACCEPTED.values()}


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _contact_form(request, application, appraisal, *, prefill: bool):
    from_form = str(application.form_data.get("client_name") or "").strip()
    initial = {}
    if appraisal is not None and prefill:
        initial = {name: getattr(appraisal, name) for name in appraisals.CONTACT_FIELDS}
    data = request.POST if request.method == "POST" else None
    return ClientContactForm(data, initial=initial, client_name_from_form=from_form), from_form


def _refusal(action, user, application) -> str:
    """Why `action` is refused, in the words the service would use."""
    try:
        action.require(user, application)
    except (PermissionDenied, ValidationError) as exc:
        return " ".join(getattr(exc, "messages", None) or [str(exc)])
    return ""


@role_required(*appraisals.READERS)
def appraisal(request, pk):
    """The appraisal's page: the applicant proposes the client's contact, the recommending
    agency checks it and sends the link; everyone who may see the application reads it."""
    application = appraisal_application_for(request.user, pk)
    appraisal = getattr(application, "client_appraisal", None)
    is_applicant = access.is_applicant.test(request.user, application)
    is_agency = access.is_recommending_agency.test(request.user, application)
    action = access.PROPOSE_CLIENT_CONTACT if is_applicant else access.SEND_APPRAISAL
    sent = appraisal is not None and appraisal.sent_at is not None
    form = client_name_from_form = None
    if (is_applicant or is_agency) and action.allows(request.user, application):
        # The applicant sees what it proposed, not a contact the agency entered instead.
        prefill = is_agency or not sent
        form, client_name_from_form = _contact_form(
            request, application, appraisal, prefill=prefill
        )
    if request.method == "POST":
        if not (is_applicant or is_agency):
            raise PermissionDenied
        if form is None:
            messages.error(request, _refusal(action, request.user, application))
            return redirect("applications:appraisal", pk=application.pk)
        if form.is_valid():
            contact = {name: form.cleaned_data.get(name, "") for name in appraisals.CONTACT_FIELDS}
            try:
                if is_agency:
                    appraisals.send_appraisal_link(
                        application=application, by=request.user, **contact
                    )
                else:
                    appraisals.propose_client_contact(
                        application=application, by=request.user, **contact
                    )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if is_agency:
                    notice = _("评价链接已发送至 %(email)s") % {
                        "email": contact["contact_email"].strip().lower()
                    }
                else:
                    notice = _("建设单位联系人已保存；申报提交后，由推荐单位核实并发送评价链接")
                messages.success(request, notice)
                return redirect("applications:appraisal", pk=application.pk)
    submitted = appraisal is not None and appraisal.submitted_at is not None
    return render(
        request,
        "applications/appraisal/page.html",
        {
            "application": application,
            "appraisal": appraisal,
            "submitted": submitted,
            "sent": sent,
            "expired": sent and not submitted and appraisal.expires_at <= timezone.now(),
            "answers": _answers(appraisal) if submitted else [],
            "is_applicant": is_applicant,
            "is_agency": is_agency,
            # Staff and the agency see whom the link goes to; the applicant only its proposal.
            "show_contact": appraisal is not None and (not is_applicant or not sent),
            "form": form,
            "why_not": (
                _refusal(action, request.user, application)
                if form is None and (is_applicant or is_agency)
                else ""
            ),
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
    # Stored under the suffix of the type its content was found to be; the uploaded name's
    # extension is not trusted.
    content_type = CONTENT_TYPES.get(Path(appraisal.scan_path).suffix, "application/octet-stream")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(
            appraisal.scan_name, content_type, fallback=f"appraisal-{application.pk}"
        ),
        content_type=content_type,
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
