"""After the event, for its organiser: materials, practice shares and the registrations'
export with attendance."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.common.forms import tell_refusal
from manyi.events import selectors
from manyi.events.access import ORGANISER_ROLES
from manyi.events.forms import MaterialForm, ShareForm
from manyi.events.services import after_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _to_event(event):
    return redirect("events:manage_detail", pk=event.pk)


@require_POST
@role_required(*ORGANISER_ROLES)
def material_add(request, pk):
    event = selectors.organised_event(request.user, pk)
    form = MaterialForm(request.POST, request.FILES)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_event(event)
    try:
        after_event.add_material(
            event=event,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("资料已上传"))
    return _to_event(event)


@require_POST
@role_required(*ORGANISER_ROLES)
def material_remove(request, pk, material_pk):
    event = selectors.organised_event(request.user, pk)
    material = selectors.material_of(event, material_pk)
    try:
        after_event.remove_material(material=material, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("资料已删除"))
    return _to_event(event)


@require_POST
@role_required(*ORGANISER_ROLES)
def share_add(request, pk):
    event = selectors.organised_event(request.user, pk)
    form = ShareForm(request.POST, event=event)
    if not form.is_valid():
        tell_refusal(request, form)
        return _to_event(event)
    try:
        after_event.add_share(event=event, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("经验分享已登记"))
    return _to_event(event)


@require_POST
@role_required(*ORGANISER_ROLES)
def share_remove(request, pk, share_pk):
    event = selectors.organised_event(request.user, pk)
    share = selectors.share_of(event, share_pk)
    try:
        after_event.remove_share(share=share, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("经验分享已删除"))
    return _to_event(event)


@require_GET
@role_required(*ORGANISER_ROLES)
def registrations_export(request, pk):
    """The registrations with attendance as Excel, mobiles in full (logged)."""
    event = selectors.organised_event(request.user, pk)
    content = after_event.export_registrations(event=event, by=request.user)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="event-{event.pk}-registrations-{stamp}.xlsx"'
    )
    return response
