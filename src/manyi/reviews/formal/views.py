"""The formal review's acts: staff's notes, the notice, accept, reject; the applicant's
completion. Thin: the services check and change, these translate HTTP."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import Role
from manyi.applications import selectors as application_selectors
from manyi.common.forms import tell_refusal
from manyi.reviews import selectors
from manyi.reviews.formal import services
from manyi.reviews.formal.checklist import CODES, missing_items
from manyi.reviews.formal.forms import AcceptForm, CompleteForm, NoticeForm, RejectForm

# Who acts in the formal review; the work department reads the page but may not post here.
MANAGERS = (Role.COMMITTEE_STAFF, Role.ASSOCIATION_ADMIN)


def _to_section(application):
    return redirect(reverse("reviews:detail", args=[application.pk]) + "#formal")


@require_POST
@role_required(*MANAGERS)
def formal_checks(request, pk):
    application = selectors.application_for_review(request.user, pk)
    checks = {code: request.POST.get(f"note-{code}", "") for code in CODES}
    try:
        services.record_checks(application=application, by=request.user, checks=checks)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("审查记录已保存"))
    return _to_section(application)


@require_POST
@role_required(*MANAGERS)
def formal_notice(request, pk):
    application = selectors.application_for_review(request.user, pk)
    form = NoticeForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_section(application)
    # Each ticked item comes back as its words, so a checklist that changed since the page was
    # drawn (a list accepted meanwhile) cannot shift a tick onto another item; an item that is
    # no longer missing is dropped.
    chosen = set(request.POST.getlist("item"))
    items = [item for item in missing_items(application) if item["text"] in chosen] + [
        {"code": "other", "text": line.strip()}
        for line in form.cleaned_data["extra"].splitlines()
        if line.strip()
    ]
    try:
        services.issue_deficiency_notice(
            application=application, by=request.user, items=items, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("补正通知已发出（一次性告知）"))
    return _to_section(application)


@require_POST
@role_required(*MANAGERS)
def formal_accept(request, pk):
    application = selectors.application_for_review(request.user, pk)
    form = AcceptForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_section(application)
    try:
        services.accept_application(application=application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已受理，申报进入评价"))
    return _to_section(application)


@require_POST
@role_required(*MANAGERS)
def formal_reject(request, pk):
    application = selectors.application_for_review(request.user, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_section(application)
    try:
        services.reject_application(
            application=application, by=request.user, opinion=form.cleaned_data["opinion"]
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已决定不予受理，理由已告知申报单位"))
    return _to_section(application)


@require_POST
@role_required(Role.ENTERPRISE_USER)
def formal_complete(request, pk):
    """The applicant sends back what the notice asked for."""
    application = application_selectors.own_application_for(request.user, pk)
    form = CompleteForm(request.POST)
    if not form.is_valid():
        tell_refusal(request, form)
    else:
        try:
            services.complete_notice(
                application=application, by=request.user, reply=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            tell_refusal(request, exc)
        else:
            messages.success(request, _("补正已提交，请等待用户委员会审核"))
    return redirect("applications:detail", pk=application.pk)
