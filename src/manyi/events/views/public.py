"""The public side: the list of events, an event's page with its registration form, the
registrant's own page (by private link) and the materials' downloads. No account needed."""

from pathlib import PurePath

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from manyi.accounts.access import memberships
from manyi.accounts.decorators import public
from manyi.common.context import client_ip
from manyi.common.files import private_path
from manyi.common.forms import add_validation_errors, tell_refusal
from manyi.common.listing import paginate
from manyi.common.responses import private_page
from manyi.events import selectors, tokens
from manyi.events.access import CREATE, UNREGISTER, event_flags
from manyi.events.filters import PublicEventFilter
from manyi.events.forms import RegistrationForm
from manyi.events.materials import SUFFIXES
from manyi.events.models import RegistrationStatus
from manyi.events.qr import checkin_qr_svg
from manyi.events.services import registration as registering


@public
def event_list(request):
    """Published events to come (soonest first), then past ones; by kind; by name."""
    listing = paginate(request, selectors.public_events(), PublicEventFilter)
    return render(
        request,
        "events/list.html",
        {**listing.context(), "can_organise": CREATE.allows(request.user, None)},
    )


def _prefill(user) -> dict:
    """A logged-in person's details, so they only check them."""
    if not getattr(user, "is_authenticated", False):
        return {}
    own = memberships(user)
    return {
        "name": user.full_name,
        "email": user.email,
        "mobile": user.mobile,
        "organisation_name": own[0].organisation.name if own else "",
    }


def _detail(request, event, form, status=200):
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            **event_flags(request.user, event),
            "places_left": selectors.places_left(event),
            "form": form,
            "materials": selectors.materials_of(event),
            "shares": selectors.shares_of(event),
        },
        status=status,
    )


@public
@never_cache
def event_detail(request, pk):
    """GET: the event's page. POST: a registration; on success, the registrant's own page."""
    event = selectors.public_event(pk)
    if request.method != "POST":
        return _detail(request, event, RegistrationForm(initial=_prefill(request.user)))
    form = RegistrationForm(request.POST)
    ip = client_ip(request)
    if not registering.registration_allowed(ip):
        form.is_valid()
        form.add_error(None, registering.rate_refusal())
    elif form.is_valid():
        try:
            registration, token = registering.register(
                event=event, by=request.user, ip=ip, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(exc, form)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, _("报名成功。确认邮件已发送到您的邮箱。"))
            else:
                messages.warning(
                    request,
                    _(
                        "名额已满，您已进入候补名单（第 %(n)d 位）。有人取消时将按顺序递补并邮件通知。"
                    )
                    % {"n": selectors.waitlist_position(registration)},
                )
            return redirect("events:registration", token=token)
    return _detail(request, event, form)


def _registration_or_404(token):
    registration = selectors.registration_by_token(token)
    if registration is None:
        raise Http404
    return registration


@public
@never_cache
@require_GET
def registration_page(request, token):
    """The registrant's own page: status, place on the waiting list, the check-in QR code,
    and the cancel button. The token in the address is the only key: no Referer leaves it."""
    registration = _registration_or_404(token)
    event = registration.event
    qr = None
    if registration.status == RegistrationStatus.CONFIRMED:
        checkin_url = request.build_absolute_uri(
            reverse("events:checkin_scan", args=[event.pk, tokens.checkin_code(token)])
        )
        qr = checkin_qr_svg(checkin_url)
    return private_page(
        request,
        "events/registration.html",
        {
            "registration": registration,
            "event": event,
            "position": selectors.waitlist_position(registration),
            "qr": qr,
            "token": token,
            "can_cancel": UNREGISTER.allows(request.user, registration),
        },
    )


@public
@never_cache
@require_POST
def registration_cancel(request, token):
    registration = _registration_or_404(token)
    try:
        registering.cancel_registration(registration=registration, by=request.user)
    except ValidationError as exc:
        tell_refusal(request, exc)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("events:registration", token=token)


def _download_name(material) -> str:
    stem = PurePath(material.original_name.replace("\\", "/")).stem.strip(" .")
    return f"{stem or material.title or 'material'}{SUFFIXES.get(material.content_type, '')}"


@public
@require_GET
def material_download(request, pk):
    """A material of a published or held event: anyone may download it."""
    material = selectors.public_material(pk)
    path = private_path(material.file)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=_download_name(material),
        content_type=material.content_type,
    )
