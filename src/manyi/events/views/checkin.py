"""Check-in at the door, for the organiser's staff: the list with a 签到 button per confirmed
row, and the page a registrant's QR code opens. Anyone else gets a 403 (not an organiser) or
a 404 (another organisation's event, or a code that is not this event's): nothing is revealed.
Mobiles are masked here; the organiser's export shows them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from manyi.accounts.decorators import role_required
from manyi.applications.customers.rows import mask_phone
from manyi.common.forms import tell_refusal
from manyi.common.listing import paginate
from manyi.common.responses import private_page
from manyi.events import selectors
from manyi.events.access import CHECK_IN, ORGANISER_ROLES
from manyi.events.filters import RegistrationFilter
from manyi.events.services import registration as registering


@role_required(*ORGANISER_ROLES)
def checkin_list(request, pk):
    event = selectors.organised_event(request.user, pk)
    listing = paginate(request, selectors.registrations_of(event), RegistrationFilter)
    for registration in listing.page:
        registration.event = event
        registration.masked_mobile = mask_phone(registration.mobile)
        registration.can_check_in = CHECK_IN.allows(request.user, registration)
    return render(request, "events/checkin.html", {**listing.context(), "event": event})


def _back(request, event):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("events:checkin", pk=event.pk)


def _check_in(request, registration) -> None:
    try:
        registering.check_in(registration=registration, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("%(name)s 已签到") % {"name": registration.name})


@require_POST
@role_required(*ORGANISER_ROLES)
def checkin_row(request, pk, registration_pk):
    event = selectors.organised_event(request.user, pk)
    _check_in(request, selectors.registration_of(event, registration_pk))
    return _back(request, event)


@never_cache
@role_required(*ORGANISER_ROLES)
def checkin_scan(request, pk, code):
    """The page a registrant's QR code opens. GET: who it is, and the 签到 button. POST: check
    them in, then show the page again."""
    event = selectors.organised_event(request.user, pk)
    registration = selectors.registration_by_checkin_code(event, code)
    if request.method == "POST":
        _check_in(request, registration)
        return redirect("events:checkin_scan", pk=event.pk, code=code)
    refusal = None
    try:
        CHECK_IN.require(request.user, registration)
    except ValidationError as exc:
        refusal = exc.messages[0]
    return private_page(
        request,
        "events/checkin_scan.html",
        {
            "event": event,
            "registration": registration,
            "masked_mobile": mask_phone(registration.mobile),
            "can_check_in": refusal is None,
            "refusal": refusal,
        },
    )
