"""The organisers' pages: their events (filtered, searched, paginated), creating and editing
one, and its moves (publish, cancel, mark held). Another organisation's event is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.events import selectors
from manyi.events.access import CREATE, EDIT, ORGANISER_ROLES, event_flags, organising_organisations
from manyi.events.filters import ManageEventFilter
from manyi.events.forms import CancelForm, EventForm, MaterialForm, ShareForm
from manyi.events.services import organising


@role_required(*ORGANISER_ROLES)
def manage_list(request):
    listing = paginate(request, selectors.organised_events(request.user), ManageEventFilter)
    return render(
        request,
        "events/manage_list.html",
        {**listing.context(), "can_create": CREATE.allows(request.user, None)},
    )


def _initial(event) -> dict:
    return {
        "organiser": event.organiser_id,
        "kind": event.kind,
        "title": event.title,
        "title_en": event.title_en,
        "summary": event.summary,
        "summary_en": event.summary_en,
        "formats": event.formats,
        "agenda": event.agenda,
        "host": event.host_id,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "capacity": event.capacity,
        "registration_closes_at": event.registration_closes_at,
        "planned_activity": event.planned_activity_id,
    }


def _fields(form) -> dict:
    data = dict(form.cleaned_data)
    data.pop("organiser", None)
    return data


@role_required(*ORGANISER_ROLES)
def event_create(request):
    if not CREATE.allows(request.user, None):
        raise PermissionDenied
    organisers = organising_organisations(request.user)
    form = EventForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            event = organising.create_event(
                by=request.user, organiser=form.cleaned_data["organiser"], **_fields(form)
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("活动已创建（草稿）。检查无误后请发布。"))
            return redirect("events:manage_detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": None})


@role_required(*ORGANISER_ROLES)
def event_edit(request, pk):
    event = selectors.organised_event(request.user, pk)
    if not EDIT.allows(request.user, event):
        messages.error(request, _("已举办或已取消的活动不能再修改"))
        return redirect("events:manage_detail", pk=event.pk)
    organisers = [event.organiser]
    form = EventForm(request.POST or None, initial=_initial(event), organisers=organisers)
    form.fields["organiser"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            organising.update_event(event=event, by=request.user, **_fields(form))
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            messages.success(request, _("活动信息已保存"))
            return redirect("events:manage_detail", pk=event.pk)
    return render(request, "events/form.html", {"form": form, "event": event})


@role_required(*ORGANISER_ROLES)
def manage_detail(request, pk):
    """The organiser's page of one event: its state and moves, registrations at a glance,
    materials and practice shares."""
    event = selectors.organised_event(request.user, pk)
    return render(
        request,
        "events/manage_detail.html",
        {
            "event": event,
            **event_flags(request.user, event),
            "places_left": selectors.places_left(event),
            "materials": selectors.materials_of(event),
            "shares": selectors.shares_of(event),
            "cancel_form": CancelForm(),
            "material_form": MaterialForm(),
            "share_form": ShareForm(event=event),
        },
    )


@require_GET
@role_required(*ORGANISER_ROLES)
def host_options(request):
    """The host select's options for a search by name (htmx)."""
    hosts = selectors.host_candidates(request.GET.get("host_q", "")[:100])
    return render(request, "events/_host_options.html", {"hosts": hosts})


def _move(request, pk, service, done: str, **kwargs):
    event = selectors.organised_event(request.user, pk)
    try:
        service(event=event, by=request.user, **kwargs)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, done)
    return redirect("events:manage_detail", pk=event.pk)


@require_POST
@role_required(*ORGANISER_ROLES)
def event_publish(request, pk):
    return _move(request, pk, organising.publish_event, _("活动已发布，公众可以在活动页面报名"))


@require_POST
@role_required(*ORGANISER_ROLES)
def event_cancel(request, pk):
    form = CancelForm(request.POST)
    if not form.is_valid():
        selectors.organised_event(request.user, pk)
        tell_refusal(request, form)
        return redirect("events:manage_detail", pk=pk)
    return _move(
        request,
        pk,
        organising.cancel_event,
        _("活动已取消，已通知全部报名人员"),
        reason=form.cleaned_data["reason"],
    )


@require_POST
@role_required(*ORGANISER_ROLES)
def event_held(request, pk):
    return _move(
        request, pk, organising.mark_event_held, _("已标记为已举办，可以上传资料和登记经验分享")
    )
