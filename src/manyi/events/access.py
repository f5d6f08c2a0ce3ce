"""Who may do what with events: one predicate per fact, one Action per act.

An event belongs to its organiser (the association, the committee or an agency). The
organiser's staff (Role.ASSOCIATION_ADMIN, COMMITTEE_STAFF or AGENCY_STAFF *of that
organisation*) create, edit, publish, cancel it, take the check-in, record what happened and
export the registrations; nobody else sees its management pages (a 404: the selectors scope
by organiser). Anyone may register for a published event until registration closes, and
cancel their own registration through their private link until the event starts.
"""

import rules
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from manyi.accounts.access import organisations_for
from manyi.accounts.roles import Role
from manyi.common.permissions import Action, flags, not_allowed
from manyi.common.punctuation import local_datetime
from manyi.events.models import EventStatus, RegistrationStatus

ORGANISER_ROLES = (Role.ASSOCIATION_ADMIN, Role.COMMITTEE_STAFF, Role.AGENCY_STAFF)
# An event that is still being prepared or announced: it may change.
EDITABLE = (EventStatus.DRAFT, EventStatus.PUBLISHED)
# An event the public sees (its page, its materials).
PUBLIC = (EventStatus.PUBLISHED, EventStatus.HELD)


def organising_organisations(user) -> list:
    """The organisations for which the user organises events."""
    seen, found = set(), []
    for organisation in organisations_for(user, *ORGANISER_ROLES):
        if organisation.pk not in seen:
            seen.add(organisation.pk)
            found.append(organisation)
    return found


def organiser_ids(user) -> set[int]:
    return {o.pk for o in organising_organisations(user)}


# ------------------------------------------------------------------------------------------
# Facts


@rules.predicate
def may_organise(user) -> bool:
    return bool(organiser_ids(user))


@rules.predicate
def organises(user, event) -> bool:
    return event is not None and event.organiser_id in organiser_ids(user)


@rules.predicate
def is_draft(_user, event) -> bool:
    return event.status == EventStatus.DRAFT


@rules.predicate
def is_editable(_user, event) -> bool:
    return event.status in EDITABLE


@rules.predicate
def is_published(_user, event) -> bool:
    return event.status == EventStatus.PUBLISHED


@rules.predicate
def is_public(_user, event) -> bool:
    return event.status in PUBLIC


@rules.predicate
def is_not_cancelled(_user, event) -> bool:
    return event.status != EventStatus.CANCELLED


@rules.predicate
def has_started(_user, event) -> bool:
    return event.starts_at <= timezone.now()


@rules.predicate
def registration_open(_user, event) -> bool:
    return timezone.now() < event.registration_closes_at


@rules.predicate
def registration_live(_user, registration) -> bool:
    return registration.status != RegistrationStatus.CANCELLED


@rules.predicate
def event_still_ahead(_user, registration) -> bool:
    event = registration.event
    return event.status == EventStatus.PUBLISHED and timezone.now() < event.starts_at


@rules.predicate
def organises_registration(user, registration) -> bool:
    return organises.test(user, registration.event)


@rules.predicate
def event_takes_checkins(_user, registration) -> bool:
    return registration.event.status in PUBLIC


@rules.predicate
def is_confirmed(_user, registration) -> bool:
    return registration.status == RegistrationStatus.CONFIRMED


@rules.predicate
def not_checked_in(_user, registration) -> bool:
    return registration.checked_in_at is None


# ------------------------------------------------------------------------------------------
# Refusals


def _said(message):
    """A refusal in words (lazy: said in the language of the request that is refused)."""
    return lambda _obj=None: ValidationError(message)


def _already_checked_in(registration) -> ValidationError:
    return ValidationError(
        _("已签到，签到时间：%(at)s") % {"at": local_datetime(registration.checked_in_at)},
        code="checked_in",
    )


not_editable = _said(_("已举办或已取消的活动不能再修改"))
not_draft = _said(_("只有草稿状态的活动可以发布"))
not_published = _said(_("只有已发布的活动可以进行此操作"))
not_started = _said(_("活动开始后才能标记为已举办"))
not_public = _said(_("本活动未发布，不接受报名"))
registration_closed = _said(_("报名已截止"))
registration_cancelled = _said(_("该报名已经取消"))
event_started = _said(_("活动已经开始或已结束，不能再取消报名"))
event_not_public = _said(_("活动未发布或已取消，不能签到"))
not_confirmed = _said(_("只有报名成功的人员可以签到，候补或已取消的报名不能签到"))
event_cancelled = _said(_("活动已取消，不能再上传资料或登记经验分享"))


# ------------------------------------------------------------------------------------------
# Actions

CREATE = Action("events.create", (may_organise, not_allowed))
MANAGE = Action("events.manage", (organises, not_allowed))
EDIT = Action("events.edit", (organises, not_allowed), (is_editable, not_editable))
PUBLISH = Action("events.publish", (organises, not_allowed), (is_draft, not_draft))
CANCEL = Action("events.cancel", (organises, not_allowed), (is_editable, not_editable))
MARK_HELD = Action(
    "events.mark_held",
    (organises, not_allowed),
    (is_published, not_published),
    (has_started, not_started),
)
REGISTER = Action(
    "events.register", (is_published, not_public), (registration_open, registration_closed)
)
UNREGISTER = Action(
    "events.unregister",
    (registration_live, registration_cancelled),
    (event_still_ahead, event_started),
)
CHECK_IN = Action(
    "events.check_in",
    (organises_registration, not_allowed),
    (event_takes_checkins, event_not_public),
    (is_confirmed, not_confirmed),
    (not_checked_in, _already_checked_in),
)
ADD_MATERIAL = Action(
    "events.add_material", (organises, not_allowed), (is_not_cancelled, event_cancelled)
)
REMOVE_MATERIAL = Action("events.remove_material", (organises, not_allowed))
ADD_SHARE = Action(
    "events.add_share", (organises, not_allowed), (is_not_cancelled, event_cancelled)
)
REMOVE_SHARE = Action("events.remove_share", (organises, not_allowed))
EXPORT = Action("events.export_registrations", (organises, not_allowed))


def event_flags(user, event) -> dict[str, bool]:
    return flags(
        user,
        event,
        {
            "can_manage": MANAGE,
            "can_edit": EDIT,
            "can_publish": PUBLISH,
            "can_cancel": CANCEL,
            "can_mark_held": MARK_HELD,
            "can_add_material": ADD_MATERIAL,
            "can_remove_material": REMOVE_MATERIAL,
            "can_add_share": ADD_SHARE,
            "can_remove_share": REMOVE_SHARE,
            "can_export": EXPORT,
            "can_register": REGISTER,
        },
    )
