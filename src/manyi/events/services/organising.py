"""Organising an event: create, edit, publish, cancel, mark held.

```
 create_event ──► draft ──publish_event──► published ──mark_event_held──► held
                    │                         │        (once it has started)
                    └──────cancel_event───────┴──► cancelled (every live registrant mailed)
```
An event is edited (`update_event`) while draft or published; its capacity cannot fall below
the places already confirmed, and a larger capacity moves the waiting list up at once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from manyi.accounts.roles import OrgKind
from manyi.common.services import log_activity, snapshot
from manyi.events import selectors
from manyi.events.access import (
    CANCEL,
    CREATE,
    EDIT,
    MARK_HELD,
    PUBLISH,
    organising_organisations,
)
from manyi.events.models import (
    Event,
    EventFormat,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from manyi.events.services import mail
from manyi.events.services.registration import promote_waiting

MAX_CAPACITY = 10_000
# What an organiser fills in; the rest (organiser, status, dates of moves) is the system's.
FIELDS = (
    "kind",
    "title",
    "title_en",
    "summary",
    "summary_en",
    "formats",
    "agenda",
    "host",
    "starts_at",
    "ends_at",
    "place",
    "capacity",
    "registration_closes_at",
    "planned_activity",
)
TEXT_FIELDS = ("title", "title_en", "summary", "summary_en", "agenda", "place")


def _cleaned(fields: dict) -> dict:
    data = {name: fields.get(name) for name in FIELDS}
    for name in TEXT_FIELDS:
        data[name] = (data[name] or "").strip()
    data["formats"] = [f for f in EventFormat.values if f in (data["formats"] or [])]
    return data


def _problems(data: dict, *, unknown_formats: bool) -> dict[str, list[str]]:
    """Everything wrong with the fields at once, by field."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if data["kind"] not in EventKind.values:
        add("kind", _("请选择活动类型"))
    for field, message in (
        ("title", _("请填写活动名称")),
        ("summary", _("请填写活动介绍")),
        ("place", _("请填写活动地点")),
    ):
        if not data[field]:
            add(field, message)
    if unknown_formats or not data["formats"]:
        add("formats", _("请至少选择一种活动形式"))
    host = data["host"]
    if host is not None and (host.kind != OrgKind.ENTERPRISE or not host.is_active):
        add("host", _("承办单位应为平台上登记的企业"))
    if data["kind"] == EventKind.BENCHMARK and host is None:
        add("host", _("标杆学习现场研修须有承办（标杆）企业"))
    starts, ends, closes = data["starts_at"], data["ends_at"], data["registration_closes_at"]
    if starts is None:
        add("starts_at", _("请填写开始时间"))
    if ends is None:
        add("ends_at", _("请填写结束时间"))
    if closes is None:
        add("registration_closes_at", _("请填写报名截止时间"))
    if starts and ends and ends < starts:
        add("ends_at", _("结束时间不能早于开始时间"))
    if starts and closes and closes > starts:
        add("registration_closes_at", _("报名截止时间不能晚于活动开始时间"))
    capacity = data["capacity"]
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        add("capacity", _("名额应在 1 到 %(max)d 之间") % {"max": MAX_CAPACITY})
    activity = data["planned_activity"]
    if activity is not None:
        if not selectors.planned_activities().filter(pk=activity.pk).exists():
            add("planned_activity", _("只能选择已发布年度计划中的交流、标杆学习或推进大会活动"))
        elif selectors.ACTIVITY_KIND.get(data["kind"]) != activity.kind:
            add("planned_activity", _("计划活动的类型与本活动的类型不一致"))
    return errors


def _check(fields: dict) -> dict:
    data = _cleaned(fields)
    unknown = bool(set(fields.get("formats") or []) - set(EventFormat.values))
    errors = _problems(data, unknown_formats=unknown)
    if errors:
        raise ValidationError(errors)
    return data


def create_event(*, by, organiser, **fields) -> Event:
    """A draft event of `organiser` (an organisation for which `by` organises events).

    Refused (ValidationError by field, nothing stored): no title, summary or place, no format,
    a benchmark visit without a host enterprise, a host that is not a registered enterprise,
    times out of order (end before start, registration closing after the start), a capacity
    outside 1–10 000, a planned activity not of a published plan or of another kind.
    Side effects: the Event (draft); an activity-log entry "event.create".
    """
    CREATE.require(by, None)
    if organiser.pk not in {o.pk for o in organising_organisations(by)}:
        raise PermissionDenied(_("只能为本单位组织活动"))
    data = _check(fields)
    with transaction.atomic():
        event = Event.objects.create(organiser=organiser, created_by=by, **data)
        log_activity(
            actor=by,
            action="event.create",
            obj=event,
            organisation=organiser,
            after=snapshot(event, [*_logged(data)]),
        )
    return event


def _logged(data: dict) -> list[str]:
    return [f"{name}_id" if name in ("host", "planned_activity") else name for name in data]


def update_event(*, event: Event, by, **fields) -> Event:
    """Change a draft or published event's details.

    Refused: the event held or cancelled, or not the user's organisation's; the checks of
    `create_event`; a capacity below the places already confirmed (the refusal says how many).
    Side effects, under the event's row lock: the changed fields saved; an activity-log entry
    "event.update" with the fields before and after; when the capacity grew, the first people
    waiting are confirmed (`promote_waiting`: "event.promote", mail).
    """
    data = _check(fields)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        EDIT.require(by, locked)
        confirmed = locked.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
        if data["capacity"] < confirmed:
            raise ValidationError(
                {
                    "capacity": _(
                        "已有 %(n)d 人报名成功，名额不能少于 %(n)d；如需减少名额，请先联系报名人员取消报名"
                    )
                    % {"n": confirmed}
                }
            )
        names = _logged(data)
        before = snapshot(locked, names)
        for name, value in data.items():
            setattr(locked, name, value)
        after = snapshot(locked, names)
        changed = [name for name in names if before[name] != after[name]]
        if not changed:
            return locked
        locked.save(update_fields=[n.removesuffix("_id") for n in changed])
        log_activity(
            actor=by,
            action="event.update",
            obj=locked,
            organisation=locked.organiser,
            before={n: before[n] for n in changed},
            after={n: after[n] for n in changed},
        )
        if locked.status == EventStatus.PUBLISHED:
            promote_waiting(event=locked, by=by)
    return locked


def publish_event(*, event: Event, by) -> Event:
    """Put a draft on the public site. Side effects: status published, `published_at`; an
    activity-log entry "event.publish"."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        PUBLISH.require(by, locked)
        locked.status = EventStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at"])
        log_activity(actor=by, action="event.publish", obj=locked, organisation=locked.organiser)
    return locked


def cancel_event(*, event: Event, by, reason: str) -> Event:
    """Call off a draft or published event, with a reason the registrants read.

    Side effects: status cancelled; an activity-log entry "event.cancel" with the reason; a
    message to every registrant not already cancelled (confirmed and waiting), after commit.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写取消原因，报名人员会收到这条说明")})
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        CANCEL.require(by, locked)
        before = locked.status
        locked.status = EventStatus.CANCELLED
        locked.save(update_fields=["status"])
        registrants = list(locked.registrations.exclude(status=RegistrationStatus.CANCELLED))
        log_activity(
            actor=by,
            action="event.cancel",
            obj=locked,
            organisation=locked.organiser,
            before={"status": before},
            after={"status": locked.status, "registrants": len(registrants)},
            note=reason[:500],
        )
        for registration in registrants:
            mail.send(
                to=registration.email,
                template="event_cancelled",
                context={
                    "event": locked,
                    "registration": registration,
                    "reason": reason,
                    "event_url": mail.event_url(locked),
                },
            )
    return locked


def mark_event_held(*, event: Event, by) -> Event:
    """Record that a published event took place (once it has started). Side effects: status
    held; an activity-log entry "event.held" with the confirmed and checked-in counts."""
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        MARK_HELD.require(by, locked)
        locked.status = EventStatus.HELD
        locked.save(update_fields=["status"])
        registrations = locked.registrations
        log_activity(
            actor=by,
            action="event.held",
            obj=locked,
            organisation=locked.organiser,
            after={
                "confirmed": registrations.filter(status=RegistrationStatus.CONFIRMED).count(),
                "checked_in": registrations.filter(checked_in_at__isnull=False).count(),
            },
        )
    return locked
