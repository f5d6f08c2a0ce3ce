"""Registration, the waiting list and check-in.

```
 register ──► confirmed (while confirmed < capacity) ──cancel_registration──► cancelled
        └───► waitlisted (in order of arrival) ──promote_waiting──► confirmed
                       └──cancel_registration──► cancelled
 confirmed ──check_in (organiser's staff, once)──► checked in
```
Every decision about places is taken under the event's row lock (`select_for_update` on the
event alone, no join), so two people taking the last place at once never both get it; on
SQLite the write transaction itself serialises them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.access import memberships
from manyi.accounts.models import phone_validator
from manyi.common import ratelimit
from manyi.common.services import log_activity
from manyi.events import tokens
from manyi.events.access import CHECK_IN, REGISTER, UNREGISTER
from manyi.events.models import Event, Registration, RegistrationStatus
from manyi.events.selectors import waitlist_position
from manyi.events.services import mail

RATE_SCOPE = "events:registrations"
# Generous: a company's staff register from one office address.
REGISTRATIONS_PER_HOUR = 60


def registration_allowed(ip: str | None) -> bool:
    return ratelimit.allowed(RATE_SCOPE, ip, REGISTRATIONS_PER_HOUR)


def rate_refusal() -> ValidationError:
    return ValidationError(
        _("同一网络地址每小时最多提交 %(n)d 份报名，请稍后再试") % {"n": REGISTRATIONS_PER_HOUR},
        code="rate_limited",
    )


def _actor(by):
    return by if getattr(by, "is_authenticated", False) else _("公众")


def _person(*, name, organisation_name, position, mobile, email) -> dict:
    person = {
        "name": (name or "").strip(),
        "organisation_name": (organisation_name or "").strip(),
        "position": (position or "").strip(),
        "mobile": "".join((mobile or "").split()),
        "email": (email or "").strip().lower(),
    }
    errors = {}
    if not person["name"]:
        errors["name"] = _("请填写姓名")
    if not person["organisation_name"]:
        errors["organisation_name"] = _("请填写单位")
    try:
        phone_validator(person["mobile"])
    except ValidationError:
        errors["mobile"] = _("请填写有效的手机号码")
    try:
        validate_email(person["email"])
    except ValidationError:
        errors["email"] = _("请填写有效的电子邮箱")
    if errors:
        raise ValidationError(errors)
    return person


def _duplicate() -> ValidationError:
    return ValidationError(
        {"email": _("该邮箱已报名本活动；如需查看或取消，请使用报名确认邮件中的链接")},
        code="duplicate",
    )


def register(
    *, event: Event, by=None, name, organisation_name, position="", mobile, email, ip=None
) -> tuple[Registration, str]:
    """Register a person for a published event before its registration closes; returns the
    registration and its private token (shown once, in the email; only hashes are kept).

    A logged-in person is linked (`user`, and their first organisation). Refused
    (ValidationError, nothing stored): past the hourly limit of the address, a missing name
    or unit, an invalid mobile or email, the event not published or registration closed,
    the same email already registered (not cancelled). Side effects, under the event's row
    lock: the Registration, confirmed while confirmed < capacity, else waitlisted; an
    activity-log entry "event.register" or "event.waitlist"; the registrant's email with
    their own page's address; then the address's count.
    """
    if not registration_allowed(ip):
        raise rate_refusal()
    person = _person(
        name=name,
        organisation_name=organisation_name,
        position=position,
        mobile=mobile,
        email=email,
    )
    user = by if getattr(by, "is_authenticated", False) else None
    own = memberships(user)
    token = tokens.new_token()
    try:
        with transaction.atomic():
            locked = Event.objects.select_for_update().get(pk=event.pk)
            REGISTER.require(by, locked)
            live = locked.registrations.exclude(status=RegistrationStatus.CANCELLED)
            if live.filter(email=person["email"]).exists():
                raise _duplicate()
            confirmed = live.filter(status=RegistrationStatus.CONFIRMED).count()
            status = (
                RegistrationStatus.CONFIRMED
                if confirmed < locked.capacity
                else RegistrationStatus.WAITLISTED
            )
            registration = Registration.objects.create(
                event=locked,
                user=user,
                organisation=own[0].organisation if own else None,
                status=status,
                **person,
                **tokens.hashes(token),
            )
            confirmed_now = status == RegistrationStatus.CONFIRMED
            log_activity(
                actor=_actor(by),
                action="event.register" if confirmed_now else "event.waitlist",
                obj=registration,
                organisation=locked.organiser,
                after={"event": locked.pk, "status": status},
            )
            mail.send(
                to=registration.email,
                template="registered",
                context={
                    "event": locked,
                    "registration": registration,
                    "position": waitlist_position(registration),
                    "url": mail.registration_url(token),
                    "event_url": mail.event_url(locked),
                },
            )
    except IntegrityError as exc:
        # The unique constraint on (event, email) of live registrations: a second request
        # with the same address that arrived at the same moment.
        raise _duplicate() from exc
    ratelimit.count(RATE_SCOPE, ip)
    return registration, token


def promote_waiting(*, event: Event, by=None) -> list[Registration]:
    """Confirm the first people waiting while places are free. Called with the event's row
    already locked (by `cancel_registration` and `update_event`).

    Side effects for each one moved up: status confirmed, `promoted_at`; an activity-log
    entry "event.promote"; a message telling them their place is confirmed.
    """
    registrations = event.registrations
    free = event.capacity - registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    if free <= 0:
        return []
    waiting = list(
        registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("created_at", "pk")[
            :free
        ]
    )
    now = timezone.now()
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        log_activity(
            actor=_actor(by),
            action="event.promote",
            obj=registration,
            organisation=event.organiser,
            before={"status": RegistrationStatus.WAITLISTED},
            after={"status": RegistrationStatus.CONFIRMED},
        )
        mail.send(
            to=registration.email,
            template="promoted",
            context={
                "event": event,
                "registration": registration,
                "event_url": mail.event_url(event),
            },
        )
    return waiting


def cancel_registration(*, registration: Registration, by=None) -> list[Registration]:
    """The registrant gives up their place or their place on the waiting list (until the
    event starts); returns whoever moved up.

    Side effects, under the event's row lock: status cancelled, `cancelled_at`; an
    activity-log entry "event.unregister"; when a confirmed place freed, the first person
    waiting is confirmed (`promote_waiting`: "event.promote", mail).
    """
    with transaction.atomic():
        locked_event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)
        current.event = locked_event
        UNREGISTER.require(by, current)
        was = current.status
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = timezone.now()
        current.save(update_fields=["status", "cancelled_at"])
        log_activity(
            actor=_actor(by),
            action="event.unregister",
            obj=current,
            organisation=locked_event.organiser,
            before={"status": was},
            after={"status": current.status},
        )
        promoted = promote_waiting(event=locked_event, by=by)
    registration.status, registration.cancelled_at = current.status, current.cancelled_at
    return promoted


def check_in(*, registration: Registration, by) -> Registration:
    """The organiser's staff check a confirmed registrant in (once).

    Refused: not the organiser's staff, the event not published or held, the registration
    waiting or cancelled, already checked in (the refusal says when). Side effects, under
    the registration's row lock: `checked_in_at`, `checked_in_by`; an activity-log entry
    "event.check_in".
    """
    with transaction.atomic():
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.event = registration.event
        CHECK_IN.require(by, current)
        current.checked_in_at = timezone.now()
        current.checked_in_by = by
        current.save(update_fields=["checked_in_at", "checked_in_by"])
        log_activity(
            actor=by,
            action="event.check_in",
            obj=current,
            organisation=current.event.organiser,
            after={"checked_in_at": current.checked_in_at},
        )
    registration.checked_in_at, registration.checked_in_by = current.checked_in_at, by
    return current
