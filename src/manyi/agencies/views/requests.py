"""The programme staff's queue of requests for recognition; the administrator's decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.decorators import role_required
from manyi.accounts.roles import PROGRAMME_STAFF, Role
from manyi.agencies import selectors, services
from manyi.agencies.access import request_flags
from manyi.agencies.filters import RequestFilter
from manyi.agencies.forms import DecisionNoteForm, ReasonForm
from manyi.agencies.models import RequestStatus
from manyi.applications.customers.rows import mask_phone
from manyi.common.forms import tell_refusal
from manyi.common.listing import paginate


def _crumbs(*last):
    return [
        (_("推进机构"), reverse("agencies:list")),
        (_("认可申请"), reverse("agencies:requests")),
        *last,
    ]


@role_required(*PROGRAMME_STAFF)
def request_list(request):
    listing = paginate(request, selectors.requests_for(request.user), RequestFilter)
    return render(
        request,
        "agencies/requests/list.html",
        {
            **listing.context(),
            "breadcrumbs": [(_("推进机构"), reverse("agencies:list")), (_("认可申请"), None)],
        },
    )


@role_required(*PROGRAMME_STAFF)
def request_detail(request, pk):
    agency_request = selectors.request_for(request.user, pk)
    flags = request_flags(request.user, agency_request)
    # The administrator decides and may call the contact; other staff read a masked number.
    mobile = agency_request.contact_mobile
    return render(
        request,
        "agencies/requests/detail.html",
        {
            "agency_request": agency_request,
            **flags,
            "mobile": mobile if flags["can_decide"] else mask_phone(mobile),
            "duplicate": (
                selectors.existing_agency_named(agency_request.name)
                if agency_request.status == RequestStatus.SUBMITTED
                else None
            ),
            "note_form": DecisionNoteForm(),
            "refuse_form": ReasonForm(label=_("不予认可的理由（将告知申请单位）")),
            "breadcrumbs": _crumbs((agency_request.name, None)),
        },
    )


def _back(agency_request):
    return redirect("agencies:request_detail", pk=agency_request.pk)


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def request_recognise(request, pk):
    agency_request = selectors.request_for(request.user, pk)
    form = DecisionNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        recognition = services.recognise(request=agency_request, by=request.user, note=note)
    except ValidationError as exc:
        tell_refusal(request, exc)
        return _back(agency_request)
    messages.success(
        request,
        _("已认可 %(name)s 为推进机构，并已向 %(email)s 发出登录邀请")
        % {"name": recognition.organisation.name, "email": recognition.invitation.email},
    )
    return _back(agency_request)


@require_POST
@role_required(Role.ASSOCIATION_ADMIN)
def request_refuse(request, pk):
    agency_request = selectors.request_for(request.user, pk)
    try:
        services.refuse(
            request=agency_request, by=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已决定不予认可，并已告知申请单位"))
    return _back(agency_request)


@require_GET
@role_required(*PROGRAMME_STAFF)
def request_evidence(request, pk):
    agency_request = selectors.request_for(request.user, pk)
    return services.open_evidence(request=agency_request, by=request.user)
